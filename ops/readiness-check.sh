#!/usr/bin/env bash
# Readiness follows the database, for real: the packaged jar runs against its own throwaway
# PostgreSQL cluster; the cluster is stopped (readiness must turn DOWN, liveness stay UP) and
# started again (readiness must come back UP and the API must work again). Then SIGTERM while a
# request is in flight: readiness must turn DOWN while the process is still serving (the shutdown
# delay), the request must finish with 200, and the process must exit cleanly. It also runs with QUARKUS_SWAGGER_UI_ENABLED=false: the UI must be gone.
#
#   bash ops/readiness-check.sh        (after ./mvnw package)
# Ports: READINESS_PG_PORT (55440), READINESS_HTTP_PORT (18090).
set -euo pipefail
OPS_NAME=readiness
source "$(dirname "$0")/lib.sh"
trap ops_cleanup EXIT
require_jar

PG_PORT=${READINESS_PG_PORT:-55440}
HTTP_PORT=${READINESS_HTTP_PORT:-18090}
BASE="http://127.0.0.1:$HTTP_PORT"

pg_start pg "$PG_PORT" healthcare
keys=$(gen_keys)
# This instance also proves the documented switch: Swagger UI off, the OpenAPI document still there.
app_start app "$HTTP_PORT" "$PG_PORT" healthcare "$keys" HEALTHCARE_SHUTDOWN_DELAY=4S QUARKUS_SWAGGER_UI_ENABLED=false
pid=$APP_PID
wait_status "$BASE/q/health/ready" 200 90 "$pid" || { tail -n 40 "$(app_log app)" >&2; fail "service never became ready"; }
body=$(curl -s "$BASE/q/health/ready")
echo "$body" | json "d['status']=='UP' and any(c['name']=='Database connections health check' and c['status']=='UP' for c in d['checks'])" \
  | grep -qx True || fail "readiness does not report the database UP: $body"
log "ready, database check UP"
[ "$(status "$BASE/q/swagger-ui/")" = 404 ] || fail "QUARKUS_SWAGGER_UI_ENABLED=false did not switch Swagger UI off"
[ "$(status "$BASE/q/openapi")" = 200 ] || fail "the OpenAPI document must stay when only the UI is off"
log "QUARKUS_SWAGGER_UI_ENABLED=false: /q/swagger-ui 404, /q/openapi 200"

log "stopping PostgreSQL"
pg_stop pg
wait_status "$BASE/q/health/ready" 503 30 "$pid" || fail "readiness did not turn DOWN without the database"
body=$(curl -s "$BASE/q/health/ready")
echo "$body" | json "d['status']=='DOWN' and any(c['name']=='Database connections health check' and c['status']=='DOWN' for c in d['checks'])" \
  | grep -qx True || fail "readiness DOWN but not because of the database: $body"
[ "$(status "$BASE/q/health/live")" = 200 ] || fail "liveness must stay UP during a database outage (else the pod restarts for nothing)"
code=$(status -X POST -H 'Content-Type: application/json' \
  -d '{"email":"nobody@example.com","password":"whatever-123"}' "$BASE/api/auth/login")
case "$code" in 5??) ;; *) fail "login without a database answered $code, expected a 5xx problem" ;; esac
log "database down: readiness 503 DOWN, liveness 200, API $code"

log "starting PostgreSQL again"
pg_start pg "$PG_PORT" healthcare
wait_status "$BASE/q/health/ready" 200 60 "$pid" || fail "readiness did not come back UP with the database"
email="ready-$(date +%s%N)@example.com"
code=$(status -X POST -H 'Content-Type: application/json' \
  -d "{\"name\":\"Ready Check\",\"email\":\"$email\",\"password\":\"ready-check-pw\"}" "$BASE/api/auth/register")
[ "$code" = 201 ] || fail "register after the database returned answered $code"
log "database back: readiness UP, register 201"

password="ready-check-pw"
token=$(curl -s --max-time 10 -X POST -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$BASE/api/auth/login" | json "d['token']")
[ -n "$token" ] || fail "no token"

log "SIGTERM with a request in flight: readiness must go DOWN first, and the request must finish"
# Hold a lock on the patients table for 7 s so that a list request is still running when the
# shutdown starts; it must complete with 200 within the shutdown timeout, not be cut off.
psql_q "$PG_PORT" healthcare "begin; lock table patients in access exclusive mode; select pg_sleep(7); commit;" \
  >/dev/null 2>&1 &
locker=$!
sleep 1
curl -s -o /dev/null -w '%{http_code}' --max-time 40 -H "Authorization: Bearer $token" "$BASE/api/patients" \
  >"$OPS_TMP/inflight.status" 2>/dev/null &
inflight=$!
sleep 1
kill -TERM "$pid"
wait_status "$BASE/q/health/ready" 503 3 || fail "readiness did not turn DOWN at the start of the shutdown delay"
[ "$(status "$BASE/q/health/live")" = 200 ] || fail "the service stopped serving before the shutdown delay ended"
wait "$inflight" || true
wait "$locker" || true
[ "$(cat "$OPS_TMP/inflight.status")" = 200 ] \
  || fail "the request in flight at SIGTERM answered $(cat "$OPS_TMP/inflight.status"), not 200"
for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$pid" 2>/dev/null; then fail "the service did not exit within 30 s of SIGTERM"; fi
rc=0; wait "$pid" || rc=$?
# 143 = 128 + SIGTERM is what the JVM reports for an orderly shutdown by signal.
case "$rc" in 0|143) ;; *) fail "exit status $rc after SIGTERM" ;; esac
grep -q "stopped in" "$(app_log app)" || fail "no orderly Quarkus shutdown in the log"
log "graceful shutdown: readiness DOWN during the delay, the in-flight request finished (200), exit $rc"
echo "readiness check passed"
