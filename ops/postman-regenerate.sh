#!/usr/bin/env bash
# Regenerates postman/healthcare-api.postman_collection.json from the API as it is now: packages
# the service if needed, runs it on a throwaway database, runs postman/generate.mjs against its
# /q/openapi, and stops everything. Commit the result. (ops/ci.sh fails while it is stale.)
#
#   bash ops/postman-regenerate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OPS_NAME=postman
source ops/lib.sh
trap ops_cleanup EXIT
[ -f "$OPS_JAR" ] || ./mvnw -B -q package -DskipTests
PG_PORT=${OPS_PG_PORT:-26441}
HTTP_PORT=${OPS_HTTP_PORT:-18093}
pg_start regen "$PG_PORT" healthcare
keys=$(gen_keys)
app_start regen-app "$HTTP_PORT" "$PG_PORT" healthcare "$keys"
wait_status "http://127.0.0.1:$HTTP_PORT/q/health/ready" 200 120 "$APP_PID" || fail "the service did not start"
(cd postman && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } \
  && BASE_URL="http://127.0.0.1:$HTTP_PORT" node generate.mjs)
