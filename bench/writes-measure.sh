#!/usr/bin/env bash
# Issue 23's write rows against an already running service (bench/run.sh with BENCH_KEEP=1 left it
# up): for each row (doctor, create, or any bench.lua scenario), BENCH_WARMUP s of wrk then
# BENCH_DURATION s measured at 64 connections, with the service's and PostgreSQL's CPU per request
# (bench/lib/sample.py) and the load average. Used for the A/B pairs of
# bench/results/2026-12-07-writes.md (restart the service between builds; bench/side-by-side.sh
# stays the reference run).
#
#   BENCH_PG_PORT=26481 BENCH_HTTP_PORT=18481 bash bench/writes-measure.sh doctor create
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
WORK=${BENCH_WORK:-$ROOT/bench/.work}
HTTP_PORT=${BENCH_HTTP_PORT:?set BENCH_HTTP_PORT}
DUR=${BENCH_DURATION:-15}
WARM=${BENCH_WARMUP:-8}
CONNS=${BENCH_CONNS:-64}
SVC_PID=$(ss -Hltnp "sport = :$HTTP_PORT" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
[ -n "$SVC_PID" ] || { echo "nothing listens on $HTTP_PORT" >&2; exit 1; }
PM_PID=$(head -n 1 "$WORK/pg/data/postmaster.pid")
export BENCH_TOKENS=$WORK/run-small/tokens BENCH_USERS=2 BENCH_PATIENTS=2000 BENCH_DOCTORS=100 BENCH_OWN=1000 \
  BENCH_ORGS=1 BENCH_PASSWORD=bench-password-1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for row in "$@"; do
  wrk -t2 -c"$CONNS" -d"${WARM}s" --timeout 10s -s bench/lib/bench.lua "http://127.0.0.1:$HTTP_PORT" -- "$row" >/dev/null 2>&1 || true
  wrk -t2 -c"$CONNS" -d"${DUR}s" --timeout 10s -s bench/lib/bench.lua "http://127.0.0.1:$HTTP_PORT" -- "$row" >"$out/wrk" 2>&1 &
  wp=$!
  python3 bench/lib/sample.py "$DUR" "$SVC_PID" "$PM_PID" >"$out/sample"
  wait "$wp" || true
  python3 - "$row" "$DUR" "$out/wrk" "$out/sample" <<'PY'
import json, sys
row, secs = sys.argv[1], float(sys.argv[2])
w = json.loads([l for l in open(sys.argv[3]) if l.startswith("BENCH_JSON ")][-1][11:])
s = json.load(open(sys.argv[4]))
n = w["requests"]; rps = n / w["duration_us"] * 1e6
ms = lambda pct: pct / 100 * secs * 1000 / max(n, 1)
print(f'{row:<7} {rps:8.1f} req/s  svc {ms(s["svc_cpu_pct"]):.3f} ms/req  pg {ms(s["pg_cpu_pct"]):.3f} ms/req'
      f'  total {ms(s["svc_cpu_pct"]) + ms(s["pg_cpu_pct"]):.3f}  non-2xx {w.get("status_errors", 0)}'
      f'  p50 {w["p50_us"]/1000:.1f} p99 {w["p99_us"]/1000:.1f} ms  other {s["other_cpu_pct"]}%  load {s["loadavg"]}')
PY
done
