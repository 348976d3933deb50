#!/usr/bin/env bash
# Issue 23's table in one command: this service (the packaged jar with the image's JVM settings:
# JDK 25, the aot-jar and its AOT cache when built, JAVA_OPTS_APPEND of Dockerfile.jvm) and the
# Node.js peer (bench/node-peer.sh: Express 5, Sequelize, bcryptjs cost 10) against the same
# PostgreSQL, row by row, each row measured on both sides back to back with wrk (2 threads) for
# BENCH_DURATION s (15) after BENCH_WARMUP s (8) of warm-up at the same connections. Writes a
# markdown table (req/s, p50/p99, non-2xx, CPU per request of each process and of PostgreSQL,
# the highest RSS sampled during each row, the load average; RSS of both processes before the rows
# and the highest during them) to $BENCH_OUT.md (default bench/results/<UTC date>-side-by-side.md).
#
#   bash bench/side-by-side.sh                 every row
#   BENCH_ROWS="doctor create" bash bench/side-by-side.sh
#   BENCH_PEER=0 ...                           this service only (A/B of two builds: BENCH_APP)
#
# Rows (the issue's): get (GET /api/patients/{id}, audited here), doctor (GET /api/doctors/{id}),
# create (POST /api/patients: here with its history revision and audit event), list (GET
# /api/patients: here the default page of 50 + X-Total-Count of 1,000; the peer answers all of the
# user's 1,000 patients, it has no paging), all at 64 connections; login at 16 connections
# (successful answers/s, shed = non-2xx); flood: 256 connections posting logins for 10 s with 4
# connections reading GET patient alongside (the login answers' p50/p99: nearly all 503 here, the
# reads' p99).
#
# How: bench/run.sh small sets this service up (seeds its database in the bench cluster, starts
# the jar with the image's flags, logs in) and leaves it running (BENCH_KEEP=1, one 1 s doctor
# run); bench/node-peer.sh start starts the peer on a database of the same cluster, seeded here
# with as many patients for its user (1,000) and doctors (100). Both are stopped at the end.
#
# Environment: BENCH_PG_PORT (26450), BENCH_HTTP_PORT (18450), NODE_PEER_PORT (18460), NODE_PEER_GIT
# (the peer's repository, e.g. a local mirror), BENCH_ROWS, BENCH_DURATION, BENCH_WARMUP,
# BENCH_PEER (1), BENCH_APP, BENCH_OUT. Loopback only; every load run is bounded (wrk -d).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
WORK=${BENCH_WORK:-$ROOT/bench/.work}
OUTDIR=$WORK/side-by-side
PG_PORT=${BENCH_PG_PORT:-26450}
HTTP_PORT=${BENCH_HTTP_PORT:-18450}
PEER_PORT=${NODE_PEER_PORT:-18460}
DUR=${BENCH_DURATION:-15}
WARM=${BENCH_WARMUP:-8}
ROWS=${BENCH_ROWS:-"get doctor list create login flood"}
PEER=${BENCH_PEER:-1}
OUT=${BENCH_OUT:-bench/results/$(date -u +%F)-side-by-side}
PG_BIN=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PSQL=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U healthcare -X -v ON_ERROR_STOP=1)
PEER_EMAIL=peer-user@bench.example
PASSWORD=bench-password-1
OWN=1000
DOCTORS=100
log() { printf '[side-by-side %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
for p in "$PG_PORT" "$HTTP_PORT" "$PEER_PORT"; do
  [ "$p" -lt 32768 ] || die "port $p: ports must be below 32768 (Linux's ephemeral range starts there)"
done
export BENCH_PG_PORT=$PG_PORT BENCH_HTTP_PORT=$HTTP_PORT NODE_PEER_PORT=$PEER_PORT
rm -rf "$OUTDIR"; mkdir -p "$OUTDIR"

SVC_PID=""
cleanup() {
  set +e
  [ -n "$SVC_PID" ] && kill "$SVC_PID" 2>/dev/null
  [ "$PEER" = 1 ] && bash bench/node-peer.sh stop >/dev/null 2>&1
  # run.sh (BENCH_KEEP) left its keys in a temp dir it named in its log; the cluster too.
  [ -n "${KEYS_DIR:-}" ] && rm -rf "$KEYS_DIR"
  bash src/dev/local-postgres.sh stop "$WORK/pg" >/dev/null 2>&1
}
trap cleanup EXIT

# --- this service: run.sh seeds, starts (image flags), logs in, and leaves it running ----------
log "this service: bench/run.sh small (seed, start with the image's JVM settings, log in)"
BENCH_KEEP=1 BENCH_SCENARIOS=doctor BENCH_DURATION=1 BENCH_WARMUP=0 BENCH_PGBENCH=0 \
  BENCH_OUT="$OUTDIR/setup" bash bench/run.sh small 2>"$OUTDIR/run.log" || { tail -n 20 "$OUTDIR/run.log" >&2; die "bench/run.sh failed"; }
KEYS_DIR=$(sed -n 's/.*the service.s throwaway keys in \(.*\)$/\1/p' "$OUTDIR/run.log" | tail -n 1)
SVC_PID=$(ss -Hltnp "sport = :$HTTP_PORT" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
[ -n "$SVC_PID" ] || die "the service is not listening on $HTTP_PORT"
PM_PID=$(head -n 1 "$WORK/pg/data/postmaster.pid")
META=$WORK/run-small/meta.json
JAVA_LINE=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["java"] + "; " + m["java_opts"])' "$META")
FIRST_200=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["first_200_ms"])' "$META")
export BENCH_TOKENS=$WORK/run-small/tokens BENCH_USERS=2 BENCH_PATIENTS=2000 BENCH_DOCTORS=$DOCTORS BENCH_OWN=$OWN \
  BENCH_ORGS=1 BENCH_PASSWORD=$PASSWORD
log "service pid $SVC_PID on $HTTP_PORT (first 200 after $FIRST_200 ms)"

# --- the peer: same cluster, its own database, seeded like the service's user 1 --------------
PEER_PID=""
if [ "$PEER" = 1 ]; then
  bash bench/node-peer.sh start 2>"$OUTDIR/peer-start.log" || { tail -n 20 "$OUTDIR/peer-start.log" >&2; die "the peer did not start"; }
  PEER_PID=$(cat "$WORK/node-peer/peer.pid")
  "${PSQL[@]}" -d node_peer -q <<SQL
delete from "Mappings";
delete from "Patients";
delete from "Doctors";
insert into "Patients" (name, age, gender, address, phone, "userId", "createdAt", "updatedAt")
  select 'Patient ' || g, 20 + g % 60, case when g % 2 = 0 then 'F' else 'M' end, g || ' Bench Road', '+1 555 0100',
         (select id from "Users" where email = '$PEER_EMAIL'), now(), now()
  from generate_series(1, $OWN) g;
insert into "Doctors" (name, specialization, contact, "createdAt", "updatedAt")
  select 'Dr. Doctor ' || g, 'Cardiology', '+1 555 0199', now(), now() from generate_series(1, $DOCTORS) g;
vacuum analyze "Patients", "Doctors";
SQL
  PEER_TOKEN=$(curl -fsS -H 'Content-Type: application/json' -d "{\"email\":\"$PEER_EMAIL\",\"password\":\"$PASSWORD\"}" \
    "http://127.0.0.1:$PEER_PORT/api/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  export PEER_TOKEN PEER_EMAIL PEER_PASSWORD=$PASSWORD PEER_PATIENTS=$OWN PEER_DOCTORS=$DOCTORS \
    PEER_PATIENT_FIRST=$("${PSQL[@]}" -d node_peer -Atqc 'select min(id) from "Patients"') \
    PEER_DOCTOR_FIRST=$("${PSQL[@]}" -d node_peer -Atqc 'select min(id) from "Doctors"')
  log "peer pid $PEER_PID on $PEER_PORT, $OWN patients, $DOCTORS doctors"
  for path in "/api/patients/$PEER_PATIENT_FIRST" "/api/doctors/$PEER_DOCTOR_FIRST" /api/patients; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $PEER_TOKEN" "http://127.0.0.1:$PEER_PORT$path")
    [ "$code" = 200 ] || die "the peer answered $code to GET $path"
  done
fi

# --- RSS before the rows (issue 23's "RSS idle"): both processes started, set up, not loaded ------
rss_json() { # pid -> {"VmRSS":MB,"RssAnon":MB,"RssFile":MB,"Threads":n} from /proc/<pid>/status, or null
  [ -n "$1" ] && [ -r "/proc/$1/status" ] || { echo null; return; }
  python3 - "$1" <<'PY'
import json, sys
d = {}
for line in open(f"/proc/{sys.argv[1]}/status"):
    k, _, v = line.partition(":")
    if k in ("VmRSS", "RssAnon", "RssFile"):
        d[k] = round(int(v.split()[0]) / 1024, 1)
    elif k == "Threads":
        d[k] = int(v)
print(json.dumps(d))
PY
}
sleep 5 # the set-up's requests (run.sh's checks, the peer's seeding) settled
SVC_RSS_IDLE=$(rss_json "$SVC_PID"); PEER_RSS_IDLE=$(rss_json "$PEER_PID")
log "RSS before the rows: service $SVC_RSS_IDLE, peer $PEER_RSS_IDLE"

# --- the rows ----------------------------------------------------------------------------------
RESULTS=$OUTDIR/results.jsonl
: >"$RESULTS"
side_args() { # side -> "pid base script"
  case "$1" in
    svc) echo "$SVC_PID http://127.0.0.1:$HTTP_PORT bench/lib/bench.lua" ;;
    peer) echo "$PEER_PID http://127.0.0.1:$PEER_PORT bench/lib/peer.lua" ;;
  esac
}
measure() { # side row scenario conns
  local side=$1 row=$2 sc=$3 c=$4 pid base script
  read -r pid base script < <(side_args "$side")
  wrk -t2 -c"$c" -d"${WARM}s" --timeout 10s -s "$script" "$base" -- "$sc" >"$OUTDIR/$side-$row-warmup.wrk" 2>&1 || true
  wrk -t2 -c"$c" -d"${DUR}s" --timeout 10s -s "$script" "$base" -- "$sc" >"$OUTDIR/$side-$row.wrk" 2>&1 &
  local wp=$!
  python3 bench/lib/sample.py "$DUR" "$pid" "$PM_PID" >"$OUTDIR/$side-$row.sample" || echo '{}' >"$OUTDIR/$side-$row.sample"
  wait "$wp" || log "wrk $side $row exited non-zero"
  emit "$side" "$row" "$c" "$DUR" "$OUTDIR/$side-$row.wrk" "$OUTDIR/$side-$row.sample" ""
}
flood() { # side: 256 connections of logins for 10 s, 4 readers (GET patient) from the 2nd second for 8 s
  local side=$1 pid base script secs=10
  read -r pid base script < <(side_args "$side")
  wrk -t2 -c256 -d"${secs}s" --timeout 10s --latency -s "$script" "$base" -- login >"$OUTDIR/$side-flood.wrk" 2>&1 &
  local fp=$!
  sleep 1
  wrk -t1 -c4 -d"$((secs - 2))s" --timeout 10s -s "$script" "$base" -- get >"$OUTDIR/$side-flood-reads.wrk" 2>&1 &
  local rp=$!
  python3 bench/lib/sample.py "$((secs - 2))" "$pid" "$PM_PID" >"$OUTDIR/$side-flood.sample" || echo '{}' >"$OUTDIR/$side-flood.sample"
  wait "$fp" "$rp" || true
  emit "$side" flood 256 "$secs" "$OUTDIR/$side-flood.wrk" "$OUTDIR/$side-flood.sample" "$OUTDIR/$side-flood-reads.wrk"
}
emit() { # side row conns secs wrkfile samplefile [readsfile]
  local w s r
  w=$(sed -n 's/^BENCH_JSON //p' "$5" | tail -n 1); [ -n "$w" ] || w=null
  s=$(cat "$6"); [ -n "$s" ] || s=null
  r=null; [ -n "$7" ] && { r=$(sed -n 's/^BENCH_JSON //p' "$7" | tail -n 1); [ -n "$r" ] || r=null; }
  printf '{"side":"%s","row":"%s","conns":%s,"secs":%s,"wrk":%s,"sample":%s,"reads":%s}\n' "$1" "$2" "$3" "$4" "$w" "$s" "$r" >>"$RESULTS"
  python3 - "$RESULTS" <<'PY' >&2
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
w, s = r["wrk"] or {}, r["sample"] or {}
n = w.get("requests", 0); rps = n / max(w.get("duration_us", 1), 1) * 1e6
cpu = s.get("svc_cpu_pct", 0) / 100 * r["secs"] * 1000 / max(n, 1)
print(f'  {r["side"]:<4} {r["row"]:<7} c{r["conns"]:<3} {rps:8.1f} req/s  p50 {w.get("p50_us",0)/1000:7.1f} ms  p99 {w.get("p99_us",0)/1000:8.1f} ms'
      f'  non-2xx {w.get("status_errors",0)}  cpu {s.get("svc_cpu_pct","?")}% ({cpu:.2f} ms/req)  pg {s.get("pg_cpu_pct","?")}%  load {s.get("loadavg","?")}')
PY
}

sides="svc"; [ "$PEER" = 1 ] && sides="svc peer"
for row in $ROWS; do
  case "$row" in
    get) for sd in $sides; do measure "$sd" get get 64; done ;;
    doctor) for sd in $sides; do measure "$sd" doctor doctor 64; done ;;
    list) for sd in $sides; do measure "$sd" list list 64; done ;;
    create) for sd in $sides; do measure "$sd" create create 64; done ;;
    login) for sd in $sides; do measure "$sd" login login 16; done ;;
    flood) for sd in $sides; do flood "$sd"; done ;;
    *) die "unknown row $row (get doctor list create login flood)" ;;
  esac
done

# --- the table -----------------------------------------------------------------------------------
SVC_RSS_AFTER=$(rss_json "$SVC_PID"); PEER_RSS_AFTER=$(rss_json "$PEER_PID")
RSS_AT_FIRST_200=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("rss_idle_mb", "null"))' "$META")
cat >"$OUTDIR/meta.json" <<JSON
{"finished_utc":"$(date -u +%FT%TZ)","commit":"$(git rev-parse --short HEAD 2>/dev/null || echo '?')",
 "dirty":$(git status --porcelain 2>/dev/null | grep -vc '^??' || true),"java":"$JAVA_LINE","first_200_ms":$FIRST_200,
 "node":"$(node --version 2>/dev/null || echo none)","peer_commit":"$(git -C "$WORK/node-peer" rev-parse --short HEAD 2>/dev/null || echo none)",
 "cpu":"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)","ncpu":$(nproc),"duration":$DUR,"warmup":$WARM,
 "rss":{"svc_first_200_mb":$RSS_AT_FIRST_200,"svc_idle":$SVC_RSS_IDLE,"peer_idle":$PEER_RSS_IDLE,"svc_after":$SVC_RSS_AFTER,"peer_after":$PEER_RSS_AFTER}}
JSON
mkdir -p "$(dirname "$OUT")"
python3 bench/lib/side-by-side-report.py "$RESULTS" "$OUTDIR/meta.json" >"$OUT.md"
log "table: $OUT.md"
cat "$OUT.md"
