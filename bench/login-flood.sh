#!/usr/bin/env bash
# Issue 23's login flood against the service that `BENCH_KEEP=1 bash bench/run.sh small` left
# running: C connections (256) post logins for S seconds (10) with wrk while 4 connections read a
# patient (GET /api/patients/{id}, wrk) and a loop asks liveness and readiness every 200 ms
# (curl, 1 s timeout, as a Kubernetes probe). Prints the login answers by status and their
# latency (nearly all are 503s: their p50/p99 are the shedding's), the reads' p50/p99, the
# slowest probe, CPU of the service and PostgreSQL, and the load average.
#
#   BENCH_KEEP=1 BENCH_SCENARIOS="login get" BENCH_PGBENCH=0 bash bench/run.sh small
#   bash bench/login-flood.sh [connections] [seconds]
#   kill <the service's pid>; bash src/dev/local-postgres.sh stop bench/.work/pg
#
# Environment: BENCH_HTTP_PORT (18450), BENCH_SIZE (small: whose run's tokens to use). Loopback only.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
CONNS=${1:-256}
SECS=${2:-10}
PORT=${BENCH_HTTP_PORT:-18450}
BASE=http://127.0.0.1:$PORT
RUN=${BENCH_WORK:-bench/.work}/run-${BENCH_SIZE:-small}
OUT=$RUN/flood-c$CONNS
mkdir -p "$OUT"
[ -s "$RUN/tokens" ] || { echo "no $RUN/tokens: run bench/run.sh with BENCH_KEEP=1 first" >&2; exit 2; }
curl -fs -o /dev/null "$BASE/q/health/ready" || { echo "nothing ready on $BASE" >&2; exit 2; }
SVC_PID=$(ss -Hltnp "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
PM_PID=$(head -n 1 "${BENCH_WORK:-bench/.work}/pg/data/postmaster.pid")
export BENCH_TOKENS=$RUN/tokens BENCH_USERS=${BENCH_USERS:-2} BENCH_PATIENTS=${BENCH_PATIENTS:-2000} BENCH_DOCTORS=100 \
  BENCH_OWN=1000 BENCH_ORGS=1 BENCH_PASSWORD=bench-password-1
WRK=(wrk --timeout 10s -s bench/lib/bench.lua)

probe_loop() { # path -> one "ms status" line per probe until the flood ends
  local end=$(( $(date +%s%N) + SECS * 1000000000 ))
  while [ "$(date +%s%N)" -lt "$end" ]; do
    curl -s -o /dev/null -m 1 -w '%{time_total} %{http_code}\n' "$BASE$1" || echo "1.000 timeout"
    sleep 0.2
  done
}

# Lone logins beside the flood, one every 100 ms, each on its own connection: the latency of a
# refusal as a client sees it (wrk's distribution mixes the 503s with the admitted logins, which
# wait seconds for a hash). Any email: a login beyond capacity is refused before it is read.
lone_loop() {
  local end=$(( $(date +%s%N) + (SECS - 2) * 1000000000 ))
  while [ "$(date +%s%N)" -lt "$end" ]; do
    curl -s -o /dev/null -m 10 -H 'Content-Type: application/json' \
      -d '{"email":"lone-probe@bench.example","password":"not-the-password-1"}' \
      -w '%{time_total} %{http_code}\n' "$BASE/api/auth/login" >>"$OUT/lone.txt" &
    sleep 0.1
  done
  wait
}
: >"$OUT/lone.txt"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
"${WRK[@]}" -t2 -c"$CONNS" -d"${SECS}s" --latency "$BASE" -- login >"$OUT/login.wrk" 2>&1 &
flood=$!
sleep 1 # the flood is under way
"${WRK[@]}" -t1 -c4 -d"$((SECS - 2))s" --latency "$BASE" -- get >"$OUT/get.wrk" 2>&1 &
reads=$!
probe_loop /q/health/live >"$OUT/live.txt" &
live=$!
probe_loop /q/health/ready >"$OUT/ready.txt" &
ready=$!
lone_loop &
lone=$!
python3 bench/lib/sample.py "$((SECS - 2))" "$SVC_PID" "$PM_PID" >"$OUT/sample.json" || true
wait "$flood" "$reads" "$live" "$ready" "$lone" || true
load1=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$OUT" "$CONNS" "$SECS" "$load0" "$load1" <<'EOF'
import json, sys
out, conns, secs, load0, load1 = sys.argv[1:]
def wrk(name):
    for line in open(f"{out}/{name}.wrk"):
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON "):])
    return None
login, get = wrk("login"), wrk("get")
sample = json.load(open(f"{out}/sample.json")) if open(f"{out}/sample.json").read().strip() else {}
def probes(name):
    rows = [l.split() for l in open(f"{out}/{name}.txt") if l.strip()]
    ms = [float(r[0]) * 1000 for r in rows]
    bad = [r for r in rows if r[1] != "200"]
    return len(rows), max(ms) if ms else 0, len(bad)
secs = float(secs)
ok = login["requests"] - login["status_errors"]
print(f"flood c{conns} {secs:.0f}s: {login['requests']} login answers ({login['requests'] / secs:.0f}/s), "
      f"{ok} successful ({ok / secs:.1f}/s), {login['status_errors']} non-2xx (503), "
      f"socket errors {login['connect_errors'] + login['read_errors'] + login['write_errors']}, timeouts {login['timeouts']}; "
      f"latency of all login answers p50 {login['p50_us'] / 1000:.1f} ms, p99 {login['p99_us'] / 1000:.1f} ms, "
      f"p99.9 {login['p999_us'] / 1000:.1f} ms")
print(f"reads (GET /api/patients/{{id}}, 4 connections): {get['requests']} ({get['requests'] / (secs - 2):.0f}/s), "
      f"non-2xx {get['status_errors']}, p50 {get['p50_us'] / 1000:.1f} ms, p99 {get['p99_us'] / 1000:.1f} ms")
for name in ("live", "ready"):
    n, worst, bad = probes(name)
    print(f"/q/health/{name}: {n} probes, slowest {worst:.0f} ms, not 200 within 1 s: {bad}")
lone = [l.split() for l in open(f"{out}/lone.txt") if l.strip()]
shed = sorted(float(r[0]) * 1000 for r in lone if r[1] == "503")
def pct(xs, p):
    return xs[min(len(xs) - 1, int(len(xs) * p / 100))] if xs else 0
print(f"lone logins beside the flood: {len(lone)}, refused with 503: {len(shed)}, their p50 {pct(shed, 50):.1f} ms,"
      f" p99 {pct(shed, 99):.1f} ms, max {shed[-1] if shed else 0:.1f} ms; other answers: "
      f"{sorted(set(r[1] for r in lone if r[1] != '503'))}")
if sample:
    print("CPU (% of one core): " + ", ".join(f"{k} {v}" for k, v in sample.items() if "cpu" in k))
print(f"load average {load0} -> {load1}")
EOF
