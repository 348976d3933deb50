#!/usr/bin/env bash
# Issue 23, memory: A/B of JVM settings on RSS under the bench load, with start-up and CPU per
# request beside it (so RSS is not bought with either silently). One seeded small database
# (bench/run.sh small, kept), then for each round and each variant, alternating the order
# (round 1 A B C, round 2 C B A, ...): start the packaged jar with the variant's flags, time
# process start -> first 200 (/q/health/ready) and the CPU used until then, idle RSS FP_IDLE s
# later (VmRSS and RssAnon/RssFile/RssShmem, threads), then each row (wrk -t2, FP_WARMUP s
# warm-up, FP_DURATION s measured with bench/lib/sample.py: CPU ms/request, max RSS), then the
# breakdown again (and `jcmd VM.native_memory summary` when the flags hold
# -XX:NativeMemoryTracking); stop it. Results: $FP_OUT.jsonl and a markdown table on stdout.
#
#   bash bench/footprint.sh "shipped|$(bash src/main/docker/jvm-flags.sh)" "x|... -Dquarkus.thread-pool.max-threads=8"
#   variant = "name|JVM flags[|ENV=value ...]"   (env e.g. MALLOC_ARENA_MAX=1; default the image's)
#
# Environment: BENCH_PG_PORT, BENCH_HTTP_PORT (as bench/run.sh; below 32768), FP_ROUNDS (2),
# FP_ROWS ("get:64 doctor:64 create:64 login:16"), FP_WARMUP (5), FP_DURATION (10), FP_IDLE (10),
# FP_DUMP=1 (keep smaps, NMT detail, class histogram, thread dump after the rows), FP_APP (target/quarkus-app), FP_JAVA_HOME (the image's release, Temurin 25), FP_OUT
# (bench/.work/footprint/results). Loopback only; every load run is bounded (wrk -d).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
WORK=${BENCH_WORK:-$ROOT/bench/.work}
PG_PORT=${BENCH_PG_PORT:-26450}
HTTP_PORT=${BENCH_HTTP_PORT:-18450}
ROUNDS=${FP_ROUNDS:-2}
ROWS=${FP_ROWS:-"get:64 doctor:64 create:64 login:16"}
WARM=${FP_WARMUP:-5}
DUR=${FP_DURATION:-10}
IDLE=${FP_IDLE:-10}
APP=$(cd "${FP_APP:-target/quarkus-app}" && pwd)
JH=${FP_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUTDIR=$WORK/footprint
OUT=${FP_OUT:-$OUTDIR/results}
PASSWORD=bench-password-1
log() { printf '[footprint %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
[ $# -ge 1 ] || die "usage: $0 'name|flags[|ENV=v ...]' ..."
for p in "$PG_PORT" "$HTTP_PORT"; do [ "$p" -lt 32768 ] || die "port $p: ports must be below 32768"; done
mkdir -p "$OUTDIR" "$(dirname "$OUT")"
: >"$OUT.jsonl"

SVC_PID=""; KEYS_DIR=""
cleanup() {
  set +e
  [ -n "$SVC_PID" ] && kill "$SVC_PID" 2>/dev/null && wait "$SVC_PID" 2>/dev/null
  [ -n "$KEYS_DIR" ] && rm -rf "$KEYS_DIR"
  bash src/dev/local-postgres.sh stop "$WORK/pg" >/dev/null 2>&1
}
trap cleanup EXIT

# --- one seeded database, tokens, keys: bench/run.sh small, kept; its service is stopped -------
log "bench/run.sh small (seed, tokens), kept"
BENCH_PG_PORT=$PG_PORT BENCH_HTTP_PORT=$HTTP_PORT BENCH_KEEP=1 BENCH_SCENARIOS=doctor BENCH_DURATION=1 BENCH_WARMUP=0 \
  BENCH_PGBENCH=0 BENCH_APP="$APP" BENCH_JAVA_HOME="$JH" BENCH_OUT="$OUTDIR/setup" bash bench/run.sh small 2>"$OUTDIR/run.log" \
  || { tail -n 20 "$OUTDIR/run.log" >&2; die "bench/run.sh failed"; }
KEYS_DIR=$(sed -n 's/.*the service.s throwaway keys in \(.*\)$/\1/p' "$OUTDIR/run.log" | tail -n 1)
kept=$(ss -Hltnp "sport = :$HTTP_PORT" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
[ -n "$kept" ] && { kill "$kept"; while kill -0 "$kept" 2>/dev/null; do sleep 0.2; done; }
PM_PID=$(head -n 1 "$WORK/pg/data/postmaster.pid")
export BENCH_TOKENS=$WORK/run-small/tokens BENCH_USERS=2 BENCH_PATIENTS=2000 BENCH_DOCTORS=100 BENCH_OWN=1000 \
  BENCH_ORGS=1 BENCH_PASSWORD=$PASSWORD
BASE=http://127.0.0.1:$HTTP_PORT

mem() { # pid -> JSON of /proc/<pid>/status's memory lines (MB) and thread count
  python3 - "$1" <<'PY'
import json, sys
d = {}
for line in open(f"/proc/{sys.argv[1]}/status"):
    k, _, v = line.partition(":")
    if k in ("VmRSS", "RssAnon", "RssFile", "RssShmem", "VmHWM"):
        d[k] = round(int(v.split()[0]) / 1024, 1)
    elif k == "Threads":
        d[k] = int(v)
print(json.dumps(d))
PY
}
nmt() { # pid -> JSON {category: committed MB} from jcmd VM.native_memory summary
  "$JH/bin/jcmd" "$1" VM.native_memory summary 2>/dev/null | python3 -c '
import json, re, sys
d = {}
for line in sys.stdin:
    m = re.match(r"^(?:-\s+)?\s*(Total|[A-Z][A-Za-z ]+?):? \(reserved=\d+KB, committed=(\d+)KB", line.strip())
    if m: d[m.group(1)] = round(int(m.group(2)) / 1024, 1)
print(json.dumps(d))'
}

gc() { # pid -> {"ygc":n,"fgc":n,"gct_s":s} since start (jstat -gcutil)
  "$JH/bin/jstat" -gcutil "$1" 2>/dev/null | awk 'NR == 2 {printf "{\"ygc\":%s,\"fgc\":%s,\"gct_s\":%s}", $7, $9, $13}' | grep . || echo null
}

run_variant() { # name flags env round
  local name=$1 flags=$2 envs=$3 round=$4 t0 t1 first cpu idle loaded nm="{}" rows="" logf
  logf=$OUTDIR/$name-$round.log
  t0=$(date +%s%N)
  env MALLOC_ARENA_MAX="$(bash src/main/docker/jvm-flags.sh --env MALLOC_ARENA_MAX)" $envs \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/bench_small" \
  QUARKUS_DATASOURCE_USERNAME=healthcare QUARKUS_DATASOURCE_PASSWORD=unused \
  SMALLRYE_JWT_SIGN_KEY_LOCATION="$KEYS_DIR/private.pem" MP_JWT_VERIFY_PUBLICKEY_LOCATION="$KEYS_DIR/public.pem" \
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$HTTP_PORT" \
  HEALTHCARE_LOGIN_MAX_FAILURES_PER_EMAIL_AND_CLIENT=1000000 HEALTHCARE_LOGIN_MAX_FAILURES_PER_EMAIL=1000000 \
  HEALTHCARE_LOGIN_MAX_FAILURES_PER_CLIENT=1000000 \
  HEALTHCARE_AUDIT_KEY=bench-only-audit-key-not-secret-0123456789 \
    "$JH/bin/java" $flags -jar "$APP/quarkus-run.jar" >"$logf" 2>&1 &
  SVC_PID=$!
  local deadline=$(( $(date +%s) + 120 ))
  until curl -fs -o /dev/null "$BASE/q/health/ready"; do
    kill -0 "$SVC_PID" 2>/dev/null || { tail -n 30 "$logf" >&2; die "$name exited during start-up"; }
    [ "$(date +%s)" -lt "$deadline" ] || die "$name did not answer within 120 s"
    sleep 0.01
  done
  t1=$(date +%s%N)
  first=$(( (t1 - t0) / 1000000 ))
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f", ($14 + $15) * 1000 / hz}' /proc/$SVC_PID/stat)
  local la0; la0=$(cut -d' ' -f1 /proc/loadavg)
  sleep "$IDLE"
  idle=$(mem "$SVC_PID")
  gc0=$(gc "$SVC_PID")
  log "$name #$round: first 200 $first ms, CPU $cpu ms, load $la0; idle $idle"
  for rc in $ROWS; do
    local row=${rc%%:*} c=${rc##*:} s w
    wrk -t2 -c"$c" -d"${WARM}s" --timeout 10s -s bench/lib/bench.lua "$BASE" -- "$row" >/dev/null 2>&1 || true
    wrk -t2 -c"$c" -d"${DUR}s" --timeout 10s -s bench/lib/bench.lua "$BASE" -- "$row" >"$OUTDIR/$name-$round-$row.wrk" 2>&1 &
    local wp=$!
    s=$(python3 bench/lib/sample.py "$DUR" "$SVC_PID" "$PM_PID" || echo '{}')
    wait "$wp" || true
    w=$(sed -n 's/^BENCH_JSON //p' "$OUTDIR/$name-$round-$row.wrk" | tail -n 1); [ -n "$w" ] || w=null
    rows+="${rows:+,}\"$row\":{\"conns\":$c,\"secs\":$DUR,\"wrk\":$w,\"sample\":$s}"
  done
  loaded=$(mem "$SVC_PID")
  gc1=$(gc "$SVC_PID")
  [[ " $flags " == *" -XX:NativeMemoryTracking="* ]] && nm=$(nmt "$SVC_PID")
  if [ -n "${FP_DUMP:-}" ]; then # the raw material of a breakdown: mappings, NMT, heap histogram, threads
    cp "/proc/$SVC_PID/smaps" "$OUTDIR/$name-$round.smaps"
    "$JH/bin/jcmd" "$SVC_PID" VM.native_memory detail >"$OUTDIR/$name-$round.nmt" 2>&1 || true
    "$JH/bin/jcmd" "$SVC_PID" GC.class_histogram >"$OUTDIR/$name-$round.histo" 2>&1 || true
    "$JH/bin/jcmd" "$SVC_PID" Thread.print >"$OUTDIR/$name-$round.threads" 2>&1 || true
  fi
  kill "$SVC_PID"; wait "$SVC_PID" 2>/dev/null || true; SVC_PID=""
  printf '{"name":"%s","round":%s,"flags":"%s","env":"%s","first_200_ms":%s,"cpu_to_first_200_ms":%s,"load_at_start":%s,"idle":%s,"after":%s,"gc_idle":%s,"gc_after":%s,"nmt":%s,"rows":{%s}}\n' \
    "$name" "$round" "$flags" "$envs" "$first" "$cpu" "$la0" "$idle" "$loaded" "$gc0" "$gc1" "$nm" "$rows" >>"$OUT.jsonl"
  python3 bench/lib/footprint-report.py "$OUT.jsonl" --last >&2
}

for ((r = 1; r <= ROUNDS; r++)); do
  vs=("$@")
  if (( r % 2 == 0 )); then # every other round in reverse order
    rev=(); for ((i = ${#vs[@]} - 1; i >= 0; i--)); do rev+=("${vs[$i]}"); done; vs=("${rev[@]}")
  fi
  for v in "${vs[@]}"; do
    IFS='|' read -r name flags envs <<<"$v"
    run_variant "$name" "$flags" "${envs:-}" "$r"
  done
done
python3 bench/lib/footprint-report.py "$OUT.jsonl"
