#!/usr/bin/env bash
# Checks src/dev/local-postgres.sh (issue 24): the cluster starts on the port asked for every time
# (a stale `port =` in postgresql.conf never wins), picks and remembers a free port below 32768
# when the default is taken, refuses a taken port with the command to run instead, and no script,
# pom or test names a fixed port in Linux's ephemeral range (32768-60999).
#
#   bash ops/local-postgres-test.sh
# Ports (override if taken): LPT_PORT_A 25444 (held by a plain listener, as "the default"),
# LPT_PORT_B 25445, LPT_PORT_C 25446. Everything it starts it stops, by pid or by its own data dir.
set -uo pipefail
cd "$(dirname "$0")/.."
SCRIPT=src/dev/local-postgres.sh
A=${LPT_PORT_A:-25444}
B=${LPT_PORT_B:-25445}
C=${LPT_PORT_C:-25446}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/local-pg-test.XXXXXX")
DIR=$TMP/cluster
HOLDER=""
failures=0
cleanup() {
  bash "$SCRIPT" stop "$DIR" >/dev/null 2>&1 || true
  if [ -n "$HOLDER" ]; then kill "$HOLDER" 2>/dev/null || true; wait "$HOLDER" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

ok() { echo "ok   $*"; }
no() { echo "FAIL $*"; failures=$((failures + 1)); }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pg_port_of() { sed -n 4p "$DIR/data/postmaster.pid" 2>/dev/null; }

# ---- no fixed port in the ephemeral range ------------------------------------------------------
# A "port" (or a listen/connect address) on the same line as a number 32768-60999, in every
# script, test, default and tool of the repository: pom, CI, ops, bench and its helpers, dev
# scripts, Java sources, configuration, the container and Kubernetes files, the e2e and Postman
# runners. Words that merely contain "port" (import, report, support, transport, export) do not
# count, so a seed constant next to an import is not taken for a port; nor do PostgreSQL's
# five-character SQLSTATE codes (lines naming SQLSTATE, or connection-class codes such as 53300).
files=$(ls pom.xml .ci/run ops/*.sh bench/*.sh bench/lib/* src/dev/*.sh src/main/docker/* src/main/kubernetes/* \
  e2e/*.mjs postman/*.mjs postman/*environment.json src/main/resources/*.properties 2>/dev/null;
  find src/main/java src/test/java -name '*.java')
hits=$(for f in $files; do
    sed -E 's/[A-Za-z]*(im|ex|re|sup|trans)port[A-Za-z]*//Ig' "$f" | grep -nEi 'port|listen|connect|localhost|127\.0\.0\.1' \
      | sed "s|^|$f:|"
  done | grep -E '(^|[^0-9])(3276[89]|327[7-9][0-9]|32[89][0-9]{2}|3[3-9][0-9]{3}|[45][0-9]{4}|60[0-9]{3})([^0-9]|$)' \
  | grep -v 'ip_local_port_range\|32768-60999\|32768–60999\|below 32768\|-lt 32768' \
  | grep -viE 'sqlstate|(^|[^0-9])(53300|53200|57014|42501)([^0-9]|$)' || true)
if [ -z "$hits" ]; then ok "no fixed port in 32768-60999 in pom, scripts, tools, sources, tests"; else no "ports in the ephemeral range:"; echo "$hits"; fi

# ---- a listener holds the "default" port -------------------------------------------------------
listening "$A" && { echo "port $A is taken already; set LPT_PORT_A" >&2; exit 2; }
python3 -c 'import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5); time.sleep(600)' "$A" &
HOLDER=$!
for _ in $(seq 1 50); do listening "$A" && break; sleep 0.1; done

out=$(LOCAL_PG_DEFAULT_PORT=$A bash "$SCRIPT" start "$DIR" auto db_one 2>&1)
rc=$?
port=$(pg_port_of)
if [ "$rc" = 0 ] && [ -n "$port" ] && [ "$port" != "$A" ] && [ "$port" -lt 32768 ]; then
  ok "default taken: started on a free port ($port)"
else
  no "default taken: rc=$rc port=$port"; echo "$out"
fi
[ "$(cat "$DIR/port" 2>/dev/null)" = "$port" ] && ok "port remembered in DIR/port" || no "DIR/port is not $port"
grep -qx "local-pg.running-port=$port" "$DIR/local-pg.properties" 2>/dev/null \
  && ok "local-pg.properties names the port" || no "local-pg.properties does not name $port"
bash "$SCRIPT" stop "$DIR" >/dev/null 2>&1

out=$(LOCAL_PG_DEFAULT_PORT=$A bash "$SCRIPT" start "$DIR" auto db_one 2>&1)
[ "$(pg_port_of)" = "$port" ] && ok "restart without a port: the remembered one ($port)" || { no "restart took $(pg_port_of), not $port"; echo "$out"; }
bash "$SCRIPT" stop "$DIR" >/dev/null 2>&1

# ---- the port asked for wins over a stale postgresql.conf --------------------------------------
echo "port = $A" >>"$DIR/data/postgresql.conf"
out=$(bash "$SCRIPT" start "$DIR" "$B" db_one 2>&1)
rc=$?
[ "$rc" = 0 ] && [ "$(pg_port_of)" = "$B" ] && ok "asked for $B with 'port = $A' in postgresql.conf: runs on $B" \
  || { no "asked for $B: rc=$rc port=$(pg_port_of)"; echo "$out"; }
[ "$(bash "$SCRIPT" port "$DIR")" = "$B" ] && ok "'port' prints $B" || no "'port' prints $(bash "$SCRIPT" port "$DIR")"

# ---- a running cluster asked for another port moves to it --------------------------------------
out=$(bash "$SCRIPT" start "$DIR" "$C" db_one 2>&1)
[ "$(pg_port_of)" = "$C" ] && ok "running on $B, asked for $C: runs on $C" || { no "asked for $C, runs on $(pg_port_of)"; echo "$out"; }
bash "$SCRIPT" stop "$DIR" >/dev/null 2>&1

# ---- a taken port asked for: refused, naming the port and what to run ---------------------------
out=$(bash "$SCRIPT" start "$DIR" "$A" db_one 2>&1)
rc=$?
if [ "$rc" != 0 ] && grep -q "port $A is already in use" <<<"$out" && grep -q -- "-Dlocal-pg.port=[0-9]" <<<"$out"; then
  ok "taken port $A refused with what to run"
else
  no "taken port $A: rc=$rc"; echo "$out"
fi
[ -z "$(pg_port_of)" ] || no "a cluster runs after the refusal"

echo "local-postgres checks: $failures failed"
[ "$failures" = 0 ]
