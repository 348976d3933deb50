# Shared helpers for the ops checks (sourced, not run). Everything runs on loopback: a throwaway
# PostgreSQL cluster (src/dev/local-postgres.sh) in a temporary directory, the packaged jar
# (target/quarkus-app/quarkus-run.jar) in prod mode, and a freshly generated RSA key pair.
# Whatever a script starts through these helpers is stopped by ops_cleanup (call it from a trap).

OPS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OPS_JAR="$OPS_ROOT/target/quarkus-app/quarkus-run.jar"
OPS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/healthcare-ops.XXXXXX")
OPS_PIDS=()
# The JVM flags of the container image (src/main/docker/Dockerfile.jvm, printed by
# src/main/docker/jvm-flags.sh, the one place they are written), so the checks prove the service
# works within them. A flag the local java does not accept (JDK 25 only, on JDK 17) is left out
# with a warning.
OPS_JVM_FLAGS=$(JVM_FLAGS_JAVA=$(command -v java) bash "$OPS_ROOT/src/main/docker/jvm-flags.sh" "$OPS_ROOT/target/quarkus-app")
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-$(bash "$OPS_ROOT/src/main/docker/jvm-flags.sh" --env MALLOC_ARENA_MAX)}
OPS_CLUSTERS=()

log() { printf '%s [%s] %s\n' "$(date -u +%H:%M:%S)" "${OPS_NAME:-ops}" "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

ops_cleanup() {
  local pid dir
  for pid in "${OPS_PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  for pid in "${OPS_PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  for dir in "${OPS_CLUSTERS[@]}"; do
    bash "$OPS_ROOT/src/dev/local-postgres.sh" stop "$dir" >/dev/null 2>&1 || true
  done
  rm -rf "$OPS_TMP"
}

require_jar() {
  [ -f "$OPS_JAR" ] || fail "$OPS_JAR is missing: run ./mvnw package (or verify) first"
}

# pg_start NAME PORT DB: a new cluster in $OPS_TMP/NAME listening on 127.0.0.1:PORT.
pg_start() {
  local dir="$OPS_TMP/$1"
  OPS_CLUSTERS+=("$dir")
  bash "$OPS_ROOT/src/dev/local-postgres.sh" start "$dir" "$2" "$3" >&2 || fail "PostgreSQL did not start on port $2"
}

pg_stop() {
  bash "$OPS_ROOT/src/dev/local-postgres.sh" stop "$OPS_TMP/$1" >/dev/null
}

# psql_q PORT DB SQL: one value.
psql_q() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  "${bin:-/usr/bin}/psql" -h 127.0.0.1 -p "$1" -U healthcare -d "$2" -Atqc "$3"
}

# gen_keys: an RSA key pair for signing and verifying tokens, never committed.
gen_keys() {
  local dir="$OPS_TMP/keys"
  mkdir -p "$dir"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/privateKey.pem" 2>/dev/null
  openssl pkey -in "$dir/privateKey.pem" -pubout -out "$dir/publicKey.pem" 2>/dev/null
  chmod 600 "$dir/privateKey.pem"
  echo "$dir"
}

# app_start NAME HTTP_PORT PG_PORT DB KEYDIR [VAR=VALUE...]: the packaged jar, in the background.
# Sets APP_PID (call it directly, not in $(...), so the process stays this shell's child);
# the log goes to $OPS_TMP/NAME.log.
app_start() {
  local name=$1 port=$2 pgport=$3 db=$4 keys=$5
  shift 5
  env QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_HTTP_PORT="$port" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$pgport/$db" \
    QUARKUS_DATASOURCE_USERNAME=healthcare \
    QUARKUS_DATASOURCE_PASSWORD=unused \
    SMALLRYE_JWT_SIGN_KEY_LOCATION="$keys/privateKey.pem" \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="$keys/publicKey.pem" \
    HEALTHCARE_BCRYPT_COST=4 \
    HEALTHCARE_AUDIT_KEY="ops-only-audit-key-not-secret-$(basename "$OPS_TMP")-0123456789" \
    "$@" \
    java $OPS_JVM_FLAGS -jar "$OPS_JAR" \
    >"$OPS_TMP/$name.log" 2>&1 </dev/null &
  APP_PID=$!
  OPS_PIDS+=("$APP_PID")
}

app_log() { echo "$OPS_TMP/$1.log"; }

# status URL: the HTTP status code only ("000" when nothing answers).
status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }

# wait_status URL CODE SECONDS [PID]: poll until URL answers CODE; fail after SECONDS or when PID dies.
wait_status() {
  local url=$1 want=$2 secs=$3 pid=${4:-} got
  local deadline=$(( $(date +%s) + secs ))
  while :; do
    got=$(status "$url")
    [ "$got" = "$want" ] && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      log "process $pid exited while waiting for $url"
      return 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "$url answered $got, not $want, within ${secs}s"
      return 1
    fi
    sleep 0.5
  done
}

# json EXPR: reads JSON on stdin, prints the Python expression over `d` (e.g. "d['token']").
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
