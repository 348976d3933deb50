#!/usr/bin/env bash
# A project-local PostgreSQL for `./mvnw quarkus:dev` and `./mvnw verify` on machines with no
# container runtime (where Quarkus Dev Services cannot start one). The Maven profile
# `local-postgres` calls it in the `initialize` phase; it is idempotent and fast when the
# cluster already runs.
#
#   local-postgres.sh start DIR PORT DB [DB...]   create (once) and start the cluster, create the DBs
#   local-postgres.sh stop  DIR                   stop it
#
# The cluster listens on 127.0.0.1 only, with `trust` authentication for the single local role
# `healthcare`: it is a throwaway development database, never a place for real data.
# Binaries: $PG_BINDIR, else the newest /usr/lib/postgresql/*/bin, else initdb on the PATH.
# As root, PostgreSQL refuses to run; the commands then run in a user namespace (`unshare -U`)
# where the process is not root, as io.zonky.test:embedded-postgres does.
set -euo pipefail

die() { echo "local-postgres: $*" >&2; exit 1; }

bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  die "no PostgreSQL server binaries found. Install PostgreSQL (Debian: apt-get install postgresql),
set PG_BINDIR, or point the service at your own database with QUARKUS_DATASOURCE_JDBC_URL,
QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD."
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then unshare -U -- "$@"; else "$@"; fi
}

[ $# -ge 2 ] || die "usage: $0 start DIR PORT DB... | stop DIR"
cmd=$1 dir=$2
bin=$(bindir)
data="$dir/data"

case "$cmd" in
  start)
    [ $# -ge 4 ] || die "usage: $0 start DIR PORT DB..."
    port=$3; shift 3
    mkdir -p "$dir"
    if [ ! -f "$data/PG_VERSION" ]; then
      echo "local-postgres: creating a cluster in $data"
      as_pg "$bin/initdb" -D "$data" -U healthcare -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
      cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 256MB
fsync = on
CONF
    fi
    if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      echo "local-postgres: starting PostgreSQL on 127.0.0.1:$port"
      as_pg "$bin/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 start >/dev/null \
        || { tail -n 20 "$dir/postgres.log" >&2; die "PostgreSQL did not start (port $port in use?)"; }
    fi
    for db in "$@"; do
      exists=$("$bin/psql" -h 127.0.0.1 -p "$port" -U healthcare -d postgres -Atqc \
        "select 1 from pg_database where datname = '$db'")
      if [ "$exists" != 1 ]; then
        "$bin/createdb" -h 127.0.0.1 -p "$port" -U healthcare "$db"
        echo "local-postgres: created database $db"
      fi
    done
    ;;
  stop)
    if [ -f "$data/PG_VERSION" ]; then as_pg "$bin/pg_ctl" -D "$data" -m fast stop || true; fi
    ;;
  *) die "unknown command $cmd" ;;
esac
