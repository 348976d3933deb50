#!/usr/bin/env bash
# A project-local PostgreSQL for `./mvnw quarkus:dev` and `./mvnw verify` on machines with no
# container runtime (where Quarkus Dev Services cannot start one). The Maven profile
# `local-postgres` calls it in the `initialize` phase; it is idempotent and fast when the
# cluster already runs.
#
#   local-postgres.sh start DIR PORT DB [DB...]   create (once) and start the cluster, create the DBs
#   local-postgres.sh start DIR auto DB [DB...]   the same on the port it remembers, else on
#                                                 $LOCAL_PG_DEFAULT_PORT (25432), else on a free one
#   local-postgres.sh stop  DIR                   stop it
#   local-postgres.sh port  DIR                   print the port it runs on (or last ran on)
#
# The port is given to PostgreSQL on its command line (pg_ctl -o "-p PORT") at every start, so
# whatever an older run wrote into postgresql.conf never wins. After a start the port is written
# to DIR/port and, for Quarkus, to DIR/local-pg.properties (`local-pg.running-port=PORT`): the pom
# points dev mode, the tests and the packaged-jar tests at that file, so they all reach the
# cluster wherever it runs, without a flag. Ports stay below 32768: Linux hands out 32768-60999
# to outgoing connections (net.ipv4.ip_local_port_range), so a fixed port there can be taken
# by any connection on the machine.
#
# With `auto`, the port is, in this order: the one the running cluster listens on; the one
# remembered in DIR/port; $LOCAL_PG_DEFAULT_PORT; the next free one below 32768. A port asked
# for explicitly is used or refused (with what to run instead), never silently replaced.
#
# The cluster listens on 127.0.0.1 only, with `trust` authentication for the single local role
# `healthcare`: it is a throwaway development database, never a place for real data.
# Binaries: $PG_BINDIR, else the newest /usr/lib/postgresql/*/bin, else initdb on the PATH.
# As root, PostgreSQL refuses to run; the commands then run in a user namespace (`unshare -U`)
# where the process is not root, as io.zonky.test:embedded-postgres does.
set -euo pipefail

DEFAULT_PORT=${LOCAL_PG_DEFAULT_PORT:-25432}
LAST_PORT=32767

die() { echo "local-postgres: $*" >&2; exit 1; }

bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  die "no PostgreSQL server binaries found. Install them (Debian/Ubuntu: apt-get install postgresql;
Fedora: dnf install postgresql-server; macOS: brew install postgresql), or set PG_BINDIR to the
directory that holds initdb and pg_ctl, or point the service at your own database with
QUARKUS_DATASOURCE_JDBC_URL, QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD."
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then unshare -U -- "$@"; else "$@"; fi
}

# True when something accepts connections on 127.0.0.1:PORT.
listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A port nothing listens on, from $1 up to 32767.
free_port() {
  local p
  for ((p = $1; p <= LAST_PORT; p++)); do
    listening "$p" || { echo "$p"; return; }
  done
  return 1
}

running() {
  as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

# The port the running cluster listens on (line 4 of postmaster.pid).
running_port() {
  sed -n 4p "$data/postmaster.pid" 2>/dev/null
}

remember() {
  echo "$1" >"$dir/port"
  cat >"$dir/local-pg.properties" <<PROPS
# Written by src/dev/local-postgres.sh at every start: the port this cluster runs on. The pom's
# local-postgres profile hands this file to dev mode and the tests (quarkus.config.locations).
local-pg.running-port=$1
PROPS
}

# pg_start PORT: 0 when started; 2 when the port was taken; dies on any other failure.
pg_start() {
  local port=$1
  echo "local-postgres: starting PostgreSQL on 127.0.0.1:$port ($data)"
  if as_pg "$bin/pg_ctl" -D "$data" -l "$dir/postgres.log" -o "-p $port -k '$dir'" -w -t 60 start >/dev/null; then
    return 0
  fi
  if tail -n 20 "$dir/postgres.log" 2>/dev/null | grep -qi "already in use"; then
    return 2
  fi
  tail -n 20 "$dir/postgres.log" >&2 || true
  die "PostgreSQL did not start on port $port (its log: $dir/postgres.log, last lines above).
To start over with an empty development cluster (this deletes its data), run:
  bash src/dev/local-postgres.sh stop $dir; rm -rf $dir
then start again."
}

taken_message() {
  local port=$1 other
  other=$(free_port $((DEFAULT_PORT + 1)) || echo 25433)
  echo "port $port is already in use by another process (ss -ltnp 'sport = :$port' shows which).
Run with a free port, e.g. ./mvnw quarkus:dev -Dlocal-pg.port=$other (it is remembered in
$dir/port, so ./mvnw test and later starts use it without the flag), or leave out -Dlocal-pg.port
and a free port is picked."
}

[ $# -ge 2 ] || die "usage: $0 start DIR PORT|auto DB... | stop DIR | port DIR"
cmd=$1 dir=$2
case "$cmd" in
  start | stop) bin=$(bindir) ;;
esac
data="$dir/data"

case "$cmd" in
  start)
    [ $# -ge 4 ] || die "usage: $0 start DIR PORT|auto DB..."
    asked=$3
    shift 3
    case "$asked" in
      auto) ;;
      *[!0-9]* | '') die "the port must be a number or auto, not '$asked'" ;;
      *) [ "$asked" -ge 1024 ] && [ "$asked" -le 65535 ] || die "port $asked is not between 1024 and 65535" ;;
    esac
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    data="$dir/data"
    if [ ! -f "$data/PG_VERSION" ]; then
      echo "local-postgres: creating a cluster in $data"
      as_pg "$bin/initdb" -D "$data" -U healthcare -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed (its log: $dir/initdb.log). Remove $dir and try again."; }
      # No port here: it is given on the command line at every start.
      cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 256MB
fsync = on
CONF
    fi

    port=""
    if running; then
      current=$(running_port)
      if [ "$asked" = auto ] || [ "$asked" = "$current" ]; then
        port=$current
      else
        echo "local-postgres: the cluster runs on port $current; restarting it on port $asked as asked"
        as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
      fi
    fi

    if [ -z "$port" ] && [ "$asked" != auto ]; then
      listening "$asked" && die "$(taken_message "$asked")"
      rc=0
      pg_start "$asked" || rc=$?
      [ "$rc" = 0 ] || die "$(taken_message "$asked")"
      port=$asked
    elif [ -z "$port" ]; then
      candidates=()
      remembered=$(cat "$dir/port" 2>/dev/null || true)
      case "$remembered" in '' | *[!0-9]*) ;; *) candidates+=("$remembered") ;; esac
      candidates+=("$DEFAULT_PORT")
      next=$DEFAULT_PORT
      for attempt in 1 2 3 4 5; do
        next=$(free_port $((next + 1))) || break
        candidates+=("$next")
      done
      for p in "${candidates[@]}"; do
        if listening "$p"; then
          echo "local-postgres: port $p is taken by another process, trying another"
          continue
        fi
        rc=0
        pg_start "$p" || rc=$?
        if [ "$rc" = 0 ]; then port=$p; break; fi
        echo "local-postgres: port $p was taken while starting, trying another"
      done
      [ -n "$port" ] || die "no free port found for PostgreSQL among ${candidates[*]}.
Run with a port of your choice: ./mvnw quarkus:dev -Dlocal-pg.port=<a free port below 32768>"
    fi
    remember "$port"

    for db in "$@"; do
      exists=$("$bin/psql" -h 127.0.0.1 -p "$port" -U healthcare -d postgres -Atqc \
        "select 1 from pg_database where datname = '$db'")
      if [ "$exists" != 1 ]; then
        "$bin/createdb" -h 127.0.0.1 -p "$port" -U healthcare "$db"
        echo "local-postgres: created database $db"
      fi
    done
    echo "local-postgres: PostgreSQL runs on 127.0.0.1:$port (databases: $*)"
    ;;
  stop)
    if [ -f "$data/PG_VERSION" ]; then as_pg "$bin/pg_ctl" -D "$data" -m fast stop || true; fi
    ;;
  port)
    if [ -f "$data/postmaster.pid" ]; then running_port; elif [ -f "$dir/port" ]; then cat "$dir/port"; else exit 1; fi
    ;;
  *) die "unknown command $cmd" ;;
esac
