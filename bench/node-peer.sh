#!/usr/bin/env bash
# The Node.js peer of issues 12 and 23 (Rishidubey15/healthcare-backend: Express 5, Sequelize,
# bcryptjs at cost 10, HS256 tokens), fetched, installed and run on this machine, so the
# side-by-side runs compare with it rather than with constants.
#
#   bash bench/node-peer.sh start            fetch (pinned commit), npm ci, own database, start
#   bash bench/node-peer.sh login [C] [S]    wrk: POST /api/auth/login of one seeded user, C
#                                            connections (16) for S seconds (15) after 8 s of
#                                            warm-up; prints req/s, non-2xx, the peer's CPU
#                                            (ms per login) and the load average
#   bash bench/node-peer.sh stop             stop the peer (its database cluster too, unless
#                                            it was already running: bench/run.sh's)
#
# What it is (read before comparing): the peer hashes with **bcryptjs**, pure JavaScript on
# Node's one event-loop thread (no native bcrypt, no thread pool), checks one row per login and
# signs an HS256 token; this service checks the throttle, writes a session and the audit, and
# signs RS256. Only 127.0.0.1 is used; every load run is bounded (wrk -d).
#
# Environment: NODE_PEER_PORT (18460), BENCH_PG_PORT (26450: the bench's cluster in
# bench/.work/pg, started here if it is not running), NODE_PEER_GIT (the repository to clone;
# default GitHub, or a local mirror), NODE_PEER_COMMIT (9d629cf, the last commit when pinned).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
WORK=${BENCH_WORK:-$ROOT/bench/.work}
DIR=$WORK/node-peer
PG_DIR=$WORK/pg
PG_PORT=${BENCH_PG_PORT:-26450}
PORT=${NODE_PEER_PORT:-18460}
GIT=${NODE_PEER_GIT:-https://github.com/Rishidubey15/healthcare-backend.git}
COMMIT=${NODE_PEER_COMMIT:-9d629cf}
EMAIL=peer-user@bench.example
PASSWORD=bench-password-1
BASE=http://127.0.0.1:$PORT
PG_BIN=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PSQL=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U healthcare -X -v ON_ERROR_STOP=1)
log() { printf '[node-peer %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

[ "$PORT" -lt 32768 ] || die "NODE_PEER_PORT must be below 32768 (Linux's ephemeral range starts there)"

start() {
  for t in git node npm curl; do command -v $t >/dev/null || die "$t is required"; done
  mkdir -p "$WORK"
  if [ ! -d "$DIR/.git" ]; then
    log "fetching $GIT"
    git clone -q "$GIT" "$DIR"
  fi
  git -C "$DIR" -c advice.detachedHead=false checkout -q "$COMMIT"
  if [ ! -d "$DIR/node_modules" ]; then
    log "npm ci"
    (cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  if ! "${PSQL[@]}" -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    log "starting PostgreSQL in $PG_DIR on $PG_PORT"
    bash src/dev/local-postgres.sh start "$PG_DIR" "$PG_PORT" postgres >&2
    touch "$DIR/.own-cluster"
  fi
  "${PSQL[@]}" -d postgres -Atqc "select 1 from pg_database where datname = 'node_peer'" | grep -q 1 \
    || "${PSQL[@]}" -d postgres -qc "create database node_peer"
  # The peer reads .env (dotenv). A throwaway HS256 secret each start.
  cat >"$DIR/.env" <<EOF
PORT=$PORT
DB_HOST=127.0.0.1
DB_PORT=$PG_PORT
DB_NAME=node_peer
DB_USER=healthcare
DB_PASSWORD=unused
JWT_SECRET=$(openssl rand -hex 32)
JWT_EXPIRES_IN=1h
EOF
  if [ -f "$DIR/peer.pid" ] && kill -0 "$(cat "$DIR/peer.pid")" 2>/dev/null; then
    log "already running (pid $(cat "$DIR/peer.pid"))"
  else
    (cd "$DIR" && NODE_ENV=production exec node server.js >"$DIR/peer.log" 2>&1) &
    echo $! >"$DIR/peer.pid"
    disown
  fi
  # It listens before its schema exists (sequelize.sync runs after listen): wait for a registration.
  local code=""
  for _ in $(seq 1 120); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/api/auth/register" -H 'Content-Type: application/json' \
      -d "{\"name\":\"Peer User\",\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" || true)
    [ "$code" = 201 ] || [ "$code" = 400 ] && break   # 400: "User already exists" from an earlier start
    sleep 0.5
  done
  [ "$code" = 201 ] || [ "$code" = 400 ] || die "the peer did not come up (last answer $code); see $DIR/peer.log"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}")" = 200 ] || die "the seeded login fails"
  log "running on $BASE (pid $(cat "$DIR/peer.pid")), user $EMAIL"
}

cpu_ticks() { # pid -> utime+stime of the process in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}

login() {
  local conns=${1:-16} secs=${2:-15}
  [ -f "$DIR/peer.pid" ] && kill -0 "$(cat "$DIR/peer.pid")" 2>/dev/null || die "not running: bash $0 start"
  local pid; pid=$(cat "$DIR/peer.pid")
  cat >"$DIR/login.lua" <<EOF
wrk.method = "POST"
wrk.body = '{"email":"$EMAIL","password":"$PASSWORD"}'
wrk.headers["Content-Type"] = "application/json"
local statuses = {}
response = function(status) statuses[status] = (statuses[status] or 0) + 1 end
done = function(summary, latency, requests)
  io.write(string.format("p50 %.1f ms, p99 %.1f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
EOF
  log "warm-up: 8 s at $conns connections"
  wrk -t2 -c"$conns" -d8s -s "$DIR/login.lua" "$BASE/api/auth/login" >/dev/null
  local hz; hz=$(getconf CLK_TCK)
  local before; before=$(cpu_ticks "$pid")
  local load0; load0=$(cut -d' ' -f1-3 /proc/loadavg)
  local out; out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$DIR/login.lua" "$BASE/api/auth/login")
  local after; after=$(cpu_ticks "$pid")
  local load1; load1=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "$out"
  local rps; rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  local non2xx; non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  python3 - "$rps" "${non2xx:-0}" "$before" "$after" "$hz" "$secs" "$conns" "$load0" "$load1" <<'EOF'
import sys
rps, non2xx, before, after, hz, secs, conns, load0, load1 = sys.argv[1:]
rps, non2xx, secs = float(rps), int(non2xx), float(secs)
cpu_ms = (int(after) - int(before)) * 1000.0 / int(hz)
total = rps * secs
ok = total - non2xx
print(f"node peer, login c{conns}: {ok / secs:.1f} successful logins/s ({rps:.1f} answers/s, {non2xx} non-2xx), "
      f"peer CPU {cpu_ms / secs / 10:.0f}% of a core, {cpu_ms / max(ok, 1):.1f} ms CPU per successful login; "
      f"load average {load0} -> {load1}")
EOF
}

stop() {
  if [ -f "$DIR/peer.pid" ]; then
    kill "$(cat "$DIR/peer.pid")" 2>/dev/null || true
    rm -f "$DIR/peer.pid"
    log "stopped"
  fi
  if [ -f "$DIR/.own-cluster" ]; then
    bash src/dev/local-postgres.sh stop "$PG_DIR" >/dev/null 2>&1 || true
    rm -f "$DIR/.own-cluster"
  fi
}

case "${1:-}" in
  start) start ;;
  login) shift; login "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start | login [connections] [seconds] | stop" >&2; exit 2 ;;
esac
