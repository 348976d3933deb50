#!/usr/bin/env bash
# A newcomer's first hour, automated (issue 24): clone the repository into a fresh folder, hold
# the local cluster's default port (25432) with another listener, as another checkout's cluster
# would, run the README's start command (`./mvnw quarkus:dev`) there, and wait for the first
# 200 from the API: the documented dev admin logging in (README, "First hour"). Then it runs the
# README's First-hour walkthrough block as written, stops what it started, by pid, and removes
# the clone.
#
#   bash ops/first-hour.sh
# It clones the committed HEAD (what a newcomer gets), not the working tree.
# Flags added to the README's command, because CI shares the machine: the HTTP port
# (FH_HTTP_PORT, default 18095), no debugger port (-Ddebug=false), no interactive console.
# Bounded: FH_TIMEOUT seconds (default 420) for the first 200. Dev mode must start without an
# ERROR line in its log; its WARN lines are printed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HTTP_PORT=${FH_HTTP_PORT:-18095}
DEFAULT_PG_PORT=${FH_DEFAULT_PG_PORT:-25432}
# The clone's src/dev/local-postgres.sh defaults to 25432; FH_DEFAULT_PG_PORT moves both (tests of this script).
[ -z "${FH_DEFAULT_PG_PORT:-}" ] || export LOCAL_PG_DEFAULT_PORT=$FH_DEFAULT_PG_PORT
TIMEOUT=${FH_TIMEOUT:-420}
# The dev admin the README documents (the %dev defaults in application.properties).
ADMIN_EMAIL=admin@example.com
ADMIN_PASSWORD=dev-admin-password
TMP=$(mktemp -d "${TMPDIR:-/tmp}/first-hour.XXXXXX")
CLONE=$TMP/healthcare-api
LOG=$TMP/quarkus-dev.log
HOLDER=""
DEV=""

log() { printf '%s [first-hour] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The pids of PID's descendants (children first found through /proc), deepest last.
descendants() {
  local parent=$1 pid ppid
  for stat in /proc/[0-9]*/stat; do
    pid=${stat#/proc/}; pid=${pid%/stat}
    ppid=$(awk '{ sub(/^.*\) /, ""); print $2 }' "$stat" 2>/dev/null) || continue
    if [ "$ppid" = "$parent" ]; then
      echo "$pid"
      descendants "$pid"
    fi
  done
}

stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
  local pids pid
  if [ -n "$DEV" ]; then
    # Maven and the dev-mode JVM it forked: only these, by pid.
    pids="$(descendants "$DEV") $DEV"
    for pid in $pids; do stop_pid "$pid"; done
    wait "$DEV" 2>/dev/null || true
  fi
  [ -d "$CLONE/.local-postgres" ] && bash "$CLONE/src/dev/local-postgres.sh" stop "$CLONE/.local-postgres" >/dev/null 2>&1
  if [ -n "$HOLDER" ]; then stop_pid "$HOLDER"; wait "$HOLDER" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

listening "$HTTP_PORT" && { log "port $HTTP_PORT is taken: set FH_HTTP_PORT"; exit 1; }

log "cloning $(git -C "$ROOT" rev-parse --short HEAD) into $CLONE"
git clone --quiet --no-hardlinks "$ROOT" "$CLONE" || { log "FAIL: git clone"; exit 1; }

if listening "$DEFAULT_PG_PORT"; then
  log "port $DEFAULT_PG_PORT (the local cluster's default) is held already"
else
  python3 -c 'import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5); time.sleep(3600)' "$DEFAULT_PG_PORT" &
  HOLDER=$!
  for _ in $(seq 1 50); do listening "$DEFAULT_PG_PORT" && break; sleep 0.1; done
  log "port $DEFAULT_PG_PORT (the local cluster's default) held by a listener (pid $HOLDER)"
fi

log "./mvnw quarkus:dev in the clone (log: $LOG)"
(cd "$CLONE" && exec ./mvnw -B -ntp quarkus:dev -Dquarkus.http.port="$HTTP_PORT" -Ddebug=false \
  -Dquarkus.console.enabled=false </dev/null >"$LOG" 2>&1) &
DEV=$!

started=$(date +%s)
status=000
while [ $(($(date +%s) - started)) -lt "$TIMEOUT" ]; do
  if ! kill -0 "$DEV" 2>/dev/null; then
    log "FAIL: ./mvnw quarkus:dev ended before serving; its log:"
    tail -n 60 "$LOG" >&2
    exit 1
  fi
  status=$(curl -s -o "$TMP/login.json" -w '%{http_code}' --max-time 10 -X POST "http://127.0.0.1:$HTTP_PORT/api/auth/login" \
    -H 'Content-Type: application/json' -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" 2>/dev/null) || status=000
  [ "$status" = 200 ] && break
  sleep 2
done
elapsed=$(($(date +%s) - started))
if [ "$status" != 200 ]; then
  log "FAIL: no 200 from POST /api/auth/login as the dev admin within ${TIMEOUT}s (last status $status); the log:"
  tail -n 60 "$LOG" >&2
  exit 1
fi
grep -q '"role":"admin"' "$TMP/login.json" || { log "FAIL: the dev admin's login did not answer an admin"; exit 1; }
pg_port=$(cat "$CLONE/.local-postgres/port" 2>/dev/null || echo '?')
log "first 200 after ${elapsed}s: the dev admin logged in (cluster on port $pg_port, default $DEFAULT_PG_PORT held)"

failed=0
# The README's First-hour walkthrough, exactly as written there (between its markers).
sed -n '/<!-- first-hour-walkthrough -->/,/<!-- \/first-hour-walkthrough -->/p' "$CLONE/README.md" \
  | sed '1,2d;$d' | sed '$d' >"$TMP/walkthrough.sh"
if [ ! -s "$TMP/walkthrough.sh" ]; then
  log "FAIL: no first-hour walkthrough block in the README"
  failed=1
elif (cd "$TMP" && B="http://127.0.0.1:$HTTP_PORT" timeout 120 bash -euo pipefail walkthrough.sh >"$TMP/walkthrough.out" 2>&1); then
  log "the README's walkthrough ran: $(wc -l <"$TMP/walkthrough.out") lines of output"
  for expected in '^etag: "0"' '^412$' '^204$' '2 delete' '"resourceType":"Patient"' ' delete success'; do
    grep -qi -- "$expected" "$TMP/walkthrough.out" || { log "FAIL: the walkthrough's output lacks $expected"; failed=1; }
  done
else
  log "FAIL: the README's walkthrough failed; its output:"
  tail -n 30 "$TMP/walkthrough.out" >&2
  failed=1
fi
if [ "$pg_port" = "$DEFAULT_PG_PORT" ]; then
  log "FAIL: the cluster claims the held default port"
  failed=1
fi
if grep -q 'The first admin in dev mode' "$LOG"; then
  log "the dev admin's credentials were printed at start"
else
  log "FAIL: dev mode did not print the dev admin's credentials"
  failed=1
fi
errors=$(grep -E '^[0-9-]+ [0-9:,]+ ERROR|\[ERROR\]' "$LOG" || true)
if [ -n "$errors" ]; then
  log "FAIL: dev mode logged errors:"
  echo "$errors" | head -n 20 >&2
  failed=1
fi
warnings=$(grep -E '^[0-9-]+ [0-9:,]+ WARN|\[WARNING\]' "$LOG" || true)
[ -z "$warnings" ] || { log "dev-mode warnings (none should need the user to act):"; echo "$warnings" | head -n 20 >&2; }
[ "$failed" = 0 ] && log "first hour: PASSED"
exit "$failed"
