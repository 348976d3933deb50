#!/usr/bin/env bash
# The operations checks, run by .ci/run after `./mvnw verify` has built target/quarkus-app:
#   1. swagger-ui   Swagger UI in headless Chromium: register, log in, Authorize, list patients
#   2. postman      the committed collection is what generate.mjs makes from /q/openapi, and
#                   Newman runs it green against the service
# Readiness, replicas, timeouts, shutdown and overload are failsafe ITs of `./mvnw verify`
# (src/test/java/org/acme/healthcare/it: ReadinessIT, TwoReplicasIT, DatabaseFaultsIT, ShutdownIT,
# CrashIT, LoginFloodIT); only what needs a browser or Node stays here.
# It installs what it needs (Debian's chromium, PostgreSQL if missing, npm ci), starts and stops
# its own services and database clusters (loopback only), bounds every step in time, and exits
# non-zero when any check fails. Works without a terminal, as root, with CI=true.
#
#   bash ops/ci.sh
# Ports (override if taken): OPS_PG_PORT 26441 and OPS_HTTP_PORT 18093.
set -uo pipefail
cd "$(dirname "$0")/.."
OPS_NAME=ci
source ops/lib.sh
trap ops_cleanup EXIT
# Here a failed step fails its check, not the whole run (lib.sh's fail would exit).
fail() { log "FAIL: $*"; return 1; }
export DEBIAN_FRONTEND=noninteractive CI="${CI:-true}" NO_UPDATE_NOTIFIER=1 npm_config_fund=false npm_config_audit=false

PG_PORT=${OPS_PG_PORT:-26441}
HTTP_PORT=${OPS_HTTP_PORT:-18093}
BASE="http://127.0.0.1:$HTTP_PORT"
ADMIN_EMAIL="ops-admin@example.com"
ADMIN_PASSWORD="ops-admin-$(openssl rand -hex 8)"
passed=0
failed=0
failures=()

# ---- Install -----------------------------------------------------------------------------
install_failed() {
  log "FAIL: $*"
  echo "ops checks: 0 passed, 2 failed"
  exit 1
}
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    timeout 300 apt-get -o DPkg::Lock::Timeout=120 update -qq || return 1
    apt_updated=1
  fi
  timeout 600 apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ! -x /usr/bin/chromium ]; then
  log "installing Debian's chromium"
  apt_install chromium || install_failed "could not install chromium"
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  log "installing PostgreSQL"
  apt_install postgresql || install_failed "could not install PostgreSQL"
fi
for dir in e2e postman; do
  log "npm ci in $dir/"
  (cd "$dir" && timeout 300 npm ci --no-audit --no-fund --loglevel=error >/dev/null) || install_failed "npm ci failed in $dir/"
done
if [ ! -f "$OPS_JAR" ]; then
  log "no packaged jar: building it"
  timeout 900 ./mvnw -B -q package -DskipTests || install_failed "the build failed"
fi

# ---- Checks --------------------------------------------------------------------------------
check() {
  local name=$1
  shift
  log "=== $name"
  if "$@"; then
    passed=$((passed + 1))
    log "=== $name: PASSED"
  else
    failed=$((failed + 1))
    failures+=("$name")
    log "=== $name: FAILED"
  fi
}

service_up() {
  pg_start shared "$PG_PORT" healthcare || return 1
  local keys
  keys=$(gen_keys)
  app_start shared-app "$HTTP_PORT" "$PG_PORT" healthcare "$keys" \
    HEALTHCARE_ADMIN_EMAIL="$ADMIN_EMAIL" HEALTHCARE_ADMIN_PASSWORD="$ADMIN_PASSWORD"
  SERVICE_PID=$APP_PID
  wait_status "$BASE/q/health/ready" 200 120 "$SERVICE_PID" || { tail -n 40 "$(app_log shared-app)" >&2; return 1; }
}

swagger_ui() {
  (cd e2e && BASE_URL="$BASE" SCREENSHOT="artifacts/swagger-ui.png" timeout 180 node swagger-ui.mjs)
}

postman() {
  local fresh="$OPS_TMP/collection.json"
  (cd postman && BASE_URL="$BASE" timeout 60 node generate.mjs "$fresh") || return 1
  if ! cmp -s "$fresh" postman/healthcare-api.postman_collection.json; then
    log "postman/healthcare-api.postman_collection.json is stale: the API changed since it was generated."
    log "Regenerate it with: bash ops/postman-regenerate.sh (then commit it)"
    diff <(python3 -m json.tool "$fresh") <(python3 -m json.tool postman/healthcare-api.postman_collection.json) | head -n 20 >&2
    return 1
  fi
  (cd postman && timeout 180 node_modules/.bin/newman run healthcare-api.postman_collection.json \
    -e healthcare-api.postman_environment.json \
    --env-var "baseUrl=$BASE" --env-var "adminEmail=$ADMIN_EMAIL" --env-var "adminPassword=$ADMIN_PASSWORD" \
    --reporters cli --color off --timeout-request 20000)
}

no_secrets_in_log() {
  # The shared service's whole log after both runs: no password, no token, no patient content.
  local logfile
  logfile=$(app_log shared-app)
  if grep -E "$ADMIN_PASSWORD|eyJ[A-Za-z0-9_-]{10,}\.|Swagger Patient|Hypertension|swagger-pw-|postman-pw-" "$logfile" >/dev/null; then
    log "a secret or clinical value is in the service log:"
    grep -nE "$ADMIN_PASSWORD|eyJ[A-Za-z0-9_-]{10,}\.|Swagger Patient|Hypertension|swagger-pw-|postman-pw-" "$logfile" | head -n 5 >&2
    return 1
  fi
}

if service_up; then
  check "swagger-ui e2e" swagger_ui
  check "postman/newman" postman
  log "log lines checked for secrets: $(wc -l <"$(app_log shared-app)")"
  no_secrets_in_log || { failed=$((failed + 1)); failures+=("log hygiene"); }
else
  log "the service for the Swagger UI and Postman checks did not start"
  failed=$((failed + 2))
  failures+=("swagger-ui e2e" "postman/newman")
fi

if [ "$failed" -gt 0 ]; then
  log "failed: ${failures[*]}"
fi
echo "ops checks: $passed passed, $failed failed"
[ "$failed" = 0 ]
