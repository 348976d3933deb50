#!/usr/bin/env bash
# Records a Leyden AOT cache (APP_DIR/app.aot) by one short training run of the packaged jar:
# start with the image's flags (minus the cache and the metaspace cap, as the `aot` profile's
# training does), register, log in, create and read a patient through REST and FHIR, hit the
# health and OpenAPI endpoints, then stop (the JVM writes the cache at exit). Quicker than the
# IT suite's training (`./mvnw verify` on JDK 25) and the same for every build, so start-up A/B
# pairs (bench/startup.sh) compare builds, not trainings.
#
#   bench/aot-train.sh [APP_DIR]      (default target/quarkus-app)
# Environment: AOT_JAVA_HOME (Temurin 25), AOT_PG_PORT (19012), AOT_HTTP_PORT (19013),
# AOT_EXTRA_FLAGS (JVM flags added to the training's, for experiments).
# Loopback only; every process it starts is stopped at exit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
APP=$(cd "${1:-target/quarkus-app}" && pwd)
JH=${AOT_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
PG_PORT=${AOT_PG_PORT:-19012}
HTTP_PORT=${AOT_HTTP_PORT:-19013}
WORK=$ROOT/bench/.work/aot-train
source bench/lib/service-setup.sh aottrain
flags="$(sed -n 's:.*<aot.training.jvm-flags>\(.*\)</aot.training.jvm-flags>.*:\1:p' pom.xml) ${AOT_EXTRA_FLAGS:-}"
rm -f "$APP/app.aot"
BASE="http://127.0.0.1:$HTTP_PORT"
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/aottrain" \
QUARKUS_DATASOURCE_USERNAME=healthcare QUARKUS_DATASOURCE_PASSWORD=unused \
SMALLRYE_JWT_SIGN_KEY_LOCATION="$KEYS/private.pem" MP_JWT_VERIFY_PUBLICKEY_LOCATION="$KEYS/public.pem" \
HEALTHCARE_AUDIT_KEY=bench-only-audit-key-not-secret-0123456789 \
QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$HTTP_PORT" \
  "$JH/bin/java" $flags -XX:AOTCacheOutput="$APP/app.aot" -jar "$APP/quarkus-run.jar" >"$WORK/train.log" 2>&1 &
SVC_PID=$!
deadline=$(( $(date +%s) + 180 ))
until curl -fs -o /dev/null "$BASE/q/health/ready"; do
  kill -0 "$SVC_PID" 2>/dev/null || { tail -n 20 "$WORK/train.log" >&2; exit 1; }
  [ "$(date +%s)" -lt "$deadline" ] || { echo "no answer in 180 s" >&2; exit 1; }
  sleep 0.2
done
J='Content-Type: application/json'
email="train-$(date +%s%N)@train.example"
curl -fs -o /dev/null -H "$J" -d "{\"name\":\"Train User\",\"email\":\"$email\",\"password\":\"train-password-not-secret-42\"}" "$BASE/api/auth/register"
token=$(curl -fs -H "$J" -d "{\"email\":\"$email\",\"password\":\"train-password-not-secret-42\"}" "$BASE/api/auth/login" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
A="Authorization: Bearer $token"
for i in 1 2 3; do
  id=$(curl -fs -H "$A" -H "$J" -d '{"name":"Train Patient","gender":"F"}' "$BASE/api/patients" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  curl -fs -o /dev/null -H "$A" "$BASE/api/patients/$id"
  curl -fs -o /dev/null -H "$A" "$BASE/api/patients"
  curl -fs -o /dev/null -H "$A" "$BASE/fhir/Patient/$id"
  curl -fs -o /dev/null -H "$A" "$BASE/fhir/Patient?_count=5"
  curl -fs -o /dev/null -H "$A" "$BASE/fhir/metadata"
  curl -s -o /dev/null -H "$A" "$BASE/api/patients/999999999"
  curl -fs -o /dev/null "$BASE/q/health/ready"
  curl -fs -o /dev/null "$BASE/q/health/live"
done
curl -fs -o /dev/null "$BASE/q/openapi"
kill "$SVC_PID"; wait "$SVC_PID" 2>/dev/null || true; SVC_PID=""
[ -s "$APP/app.aot" ] || { tail -n 20 "$WORK/train.log" >&2; echo "no cache written" >&2; exit 1; }
echo "aot-train: $APP/app.aot ($(du -m "$APP/app.aot" | cut -f1) MB)"
