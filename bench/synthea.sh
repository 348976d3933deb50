#!/usr/bin/env bash
# The Synthea round trip (issue 20, "Real data from outside"): Synthea 3.3.0 generates patients as
# FHIR R4 bundles with a fixed seed; their Patient and Condition entries go in through POST /fhir
# transactions, are timed (resources/s), and are read back through FHIR and the REST API and
# compared with the source. Prints a summary; exits non-zero on any mismatch or failed request.
#
#   bash bench/synthea.sh              # against the packaged jar, started here on its own PostgreSQL
#   bash bench/synthea.sh URL          # against a running service (e.g. http://127.0.0.1:8080)
#
# Steps, each bounded in time:
#   1. Synthea and its runtime dependencies from Maven Central (bench/synthea/pom.xml, once) into
#      bench/.work/synthea/lib.
#   2. Generation, cached by its parameters in bench/.work/synthea/<seed...>/ (FHIR R4 only: no
#      CSV, no C-CDA, no hospital or practitioner bundles). Synthea's -p counts the living: the
#      people who died during the simulation come on top (seed 20261206: 100 + 10).
#   3. bench/lib/synthea.py extract: the Patient and Condition entries, encounter references
#      dropped, into transaction bundles of at most SYNTHEA_MAX_ENTRIES entries and
#      SYNTHEA_MAX_BYTES bytes (the service's default body limit is 1 MiB).
#   4. Without URL: the packaged jar (target/quarkus-app, build it first with
#      ./mvnw package -DskipTests) on the JVM and flags of the container image, on a throwaway
#      PostgreSQL cluster (ops/lib.sh's helpers), all stopped at exit.
#   5. A fresh user registers and logs in (its personal patients start empty, so reruns never meet
#      the previous run's identifiers); load: the bundles POSTed in order, timed; verify: every
#      patient by every identifier, birth date, conditions, through both doors.
#
# Knobs: SYNTHEA_SEED (20261206), SYNTHEA_CLINICIAN_SEED (20261206), SYNTHEA_REFERENCE_DATE
# (20261201), SYNTHEA_PATIENTS (100), SYNTHEA_STATE (Massachusetts), SYNTHEA_MAX_ENTRIES (1000),
# SYNTHEA_MAX_BYTES (1000000), SYNTHEA_CLIENTS (1: transactions in flight at once),
# SYNTHEA_PG_PORT (26460), SYNTHEA_HTTP_PORT (18460), SYNTHEA_JAVA_HOME (the JVM for the service:
# the image's release, 25, as bench/run.sh), SYNTHEA_GEN_JAVA (the java that runs Synthea: `java`
# on the PATH), SYNTHEA_WARMUP (0: loads of the same bundles, as other users, before the timed
# one), SYNTHEA_OUT (a JSON summary of the run is written there, if set).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SEED=${SYNTHEA_SEED:-20261206}
CSEED=${SYNTHEA_CLINICIAN_SEED:-$SEED}
REFDATE=${SYNTHEA_REFERENCE_DATE:-20261201}
POP=${SYNTHEA_PATIENTS:-100}
STATE=${SYNTHEA_STATE:-Massachusetts}
MAX_ENTRIES=${SYNTHEA_MAX_ENTRIES:-1000}
MAX_BYTES=${SYNTHEA_MAX_BYTES:-1000000}
CLIENTS=${SYNTHEA_CLIENTS:-1}
PG_PORT=${SYNTHEA_PG_PORT:-26460}
HTTP_PORT=${SYNTHEA_HTTP_PORT:-18460}
GEN_JAVA=${SYNTHEA_GEN_JAVA:-$(command -v java)}
SYNTHEA_VERSION=3.3.0
URL=${1:-}

# The service's JVM: SYNTHEA_JAVA_HOME, else the image's Java feature release (the FROM line of
# Dockerfile.jvm) from the Temurin JDK these machines have, else `java` on the PATH. It goes first
# on the PATH before ops/lib.sh reads the image's flags for it.
JAVA_RELEASE=$(sed -n 's|^FROM .*/openjdk-\([0-9]*\)-runtime.*|\1|p' src/main/docker/Dockerfile.jvm | tail -n 1)
SVC_JAVA_HOME=${SYNTHEA_JAVA_HOME:-}
if [ -z "$SVC_JAVA_HOME" ] && [ -x "/usr/lib/jvm/temurin-${JAVA_RELEASE}-jdk-amd64/bin/java" ]; then
  SVC_JAVA_HOME=/usr/lib/jvm/temurin-${JAVA_RELEASE}-jdk-amd64
fi
[ -n "$SVC_JAVA_HOME" ] && export PATH="$SVC_JAVA_HOME/bin:$PATH"

OPS_NAME=synthea
source ops/lib.sh
trap ops_cleanup EXIT
for t in curl openssl python3; do command -v $t >/dev/null || fail "$t is required"; done

WORK="$ROOT/bench/.work/synthea"
LIB="$WORK/lib"
CACHE="$WORK/s${SEED}-cs${CSEED}-r${REFDATE}-p${POP}-${STATE// /_}"
RUN="$CACHE/run"
mkdir -p "$WORK"
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_START=$(load_avg)

# ---- 1. Synthea -------------------------------------------------------------------------------
if [ ! -f "$LIB/synthea-$SYNTHEA_VERSION.jar" ]; then
  log "fetching Synthea $SYNTHEA_VERSION and its runtime dependencies (Maven Central)"
  timeout 900 ./mvnw -B -q -f bench/synthea/pom.xml dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIB" || fail "could not fetch Synthea"
fi

# ---- 2. Generate (cached) ---------------------------------------------------------------------
if [ ! -f "$CACHE/done" ]; then
  log "generating: seed $SEED, clinician seed $CSEED, reference date $REFDATE, $POP living patients, $STATE"
  rm -rf "$CACHE"
  mkdir -p "$CACHE"
  started=$(date +%s)
  # Synthea resolves ./output and its module paths from the working directory: run it in the cache.
  (cd "$CACHE" && timeout 1800 "$GEN_JAVA" -Xmx2g -cp "$LIB/*" App \
    -s "$SEED" -cs "$CSEED" -r "$REFDATE" -p "$POP" \
    --exporter.baseDirectory=./output/ \
    --exporter.fhir.export=true --exporter.fhir_stu3.export=false --exporter.fhir_dstu2.export=false \
    --exporter.hospital.fhir.export=false --exporter.practitioner.fhir.export=false \
    --exporter.groups.fhir.export=false --exporter.fhir.bulk_data=false \
    --exporter.ccda.export=false --exporter.csv.export=false --exporter.text.export=false \
    --exporter.metadata.export=false --exporter.pretty_print=false \
    --generate.thread_pool_size=2 \
    "$STATE" >"$CACHE/generate.log" 2>&1) || { tail -20 "$CACHE/generate.log" >&2; fail "Synthea failed (log: $CACHE/generate.log)"; }
  grep -E '^Records:' "$CACHE/generate.log" >&2 || true
  echo "$(( $(date +%s) - started ))" >"$CACHE/done"
  log "generated in $(cat "$CACHE/done") s"
else
  log "using the cached generation in $CACHE"
fi

# ---- 3. Extract -------------------------------------------------------------------------------
rm -rf "$RUN"
mkdir -p "$RUN"
python3 bench/lib/synthea.py extract "$CACHE/output/fhir" "$RUN" "$MAX_ENTRIES" "$MAX_BYTES" || fail "extract failed"

# ---- 4. The service ---------------------------------------------------------------------------
if [ -z "$URL" ]; then
  require_jar
  URL="http://127.0.0.1:$HTTP_PORT"
  pg_start pg "$PG_PORT" synthea
  keys=$(gen_keys)
  log "starting the packaged jar on $URL ($(java -version 2>&1 | head -n 1))"
  app_start app "$HTTP_PORT" "$PG_PORT" synthea "$keys"
  wait_status "$URL/q/health/ready" 200 180 "$APP_PID" || { tail -40 "$(app_log app)" >&2; fail "the service did not become ready"; }
fi
URL=${URL%/}

# ---- 5. A fresh user, load, verify ------------------------------------------------------------
# new_user: registers a fresh account and prints its access token.
new_user() {
  local email password code
  email="synthea-$(date -u +%Y%m%d%H%M%S)-$(openssl rand -hex 4)@bench.example"
  password="synthea-$(openssl rand -hex 12)"
  code=$(curl -s -o "$RUN/register.json" -w '%{http_code}' --max-time 30 -H 'Content-Type: application/json' \
    -d "{\"name\":\"Synthea Round Trip\",\"email\":\"$email\",\"password\":\"$password\"}" "$URL/api/auth/register" || true)
  [ "$code" = 201 ] || fail "register answered $code: $(cat "$RUN/register.json" 2>/dev/null)"
  curl -sf --max-time 30 -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$URL/api/auth/login" | json "d['token']"
}
TOKEN=$(new_user) || fail "login failed"

# SYNTHEA_WARMUP=N loads the same bundles N times first, each as another fresh user (their records
# stay), so the timed load meets a JIT-compiled service, as bench/run.sh warms up before it measures.
for _ in $(seq 1 "${SYNTHEA_WARMUP:-0}"); do
  mkdir -p "$RUN/warmup"
  cp -r "$RUN/bundles" "$RUN/warmup/"
  timeout 900 python3 bench/lib/synthea.py load "$URL" "$(new_user)" "$RUN/warmup" "$CLIENTS" | sed 's/^/warm-up: /' || fail "the warm-up load failed"
done

rc=0
LOAD_BEFORE=$(load_avg)
timeout 900 python3 bench/lib/synthea.py load "$URL" "$TOKEN" "$RUN" "$CLIENTS" || rc=1
LOAD_AFTER=$(load_avg)
if [ "$rc" = 0 ]; then
  timeout 900 python3 bench/lib/synthea.py verify "$URL" "$TOKEN" "$RUN" || rc=1
else
  log "the load failed: nothing to read back"
fi
python3 bench/lib/synthea.py summary "$RUN"
echo "load average: at start $LOAD_START, before the load $LOAD_BEFORE, after it $LOAD_AFTER ($(nproc) cores)"

if [ -n "${SYNTHEA_OUT:-}" ]; then
  python3 - "$RUN" "$SYNTHEA_OUT" <<EOF
import json, os, sys
run, out = sys.argv[1], sys.argv[2]
doc = {"seed": "$SEED", "clinician_seed": "$CSEED", "reference_date": "$REFDATE", "population": "$POP",
       "state": "$STATE", "synthea": "$SYNTHEA_VERSION", "url": "$URL", "clients": $CLIENTS, "warmup": ${SYNTHEA_WARMUP:-0},
       "load_average": {"start": "$LOAD_START", "before_load": "$LOAD_BEFORE", "after_load": "$LOAD_AFTER"},
       "generation_seconds": open("$CACHE/done").read().strip(), "ok": $rc == 0}
for name in ("extract", "load", "verify"):
    p = os.path.join(run, name + ".json")
    if os.path.exists(p):
        doc[name] = json.load(open(p))
json.dump(doc, open(out, "w"), indent=1, sort_keys=True)
EOF
  log "summary written to $SYNTHEA_OUT"
fi
[ "$rc" = 0 ] && log "round trip PASSED" || log "round trip FAILED"
exit "$rc"
