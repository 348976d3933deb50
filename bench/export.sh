#!/usr/bin/env bash
# Bulk Data export at scale (issue 21): one user whose PATIENTS personal patients (default
# 1,000,000), each with a disease text and a coded condition, are seeded with set-based SQL into a
# throwaway database; the packaged service (the image's JVM flags) exports them all with
# GET /fhir/Patient/$export. Prints the kick-off's time (it must not depend on the size), the
# export's resources/s, and the service's RSS sampled every second while it runs (it must stay
# flat: the worker holds a page, never the export), then downloads every file and counts the lines.
#
#   ./mvnw -B -q package -DskipTests && bash bench/export.sh            [PATIENTS=1000000]
#   PATIENTS=20000 bash bench/export.sh                                 # a quick look
#   KILL_AFTER=60 bash bench/export.sh      # kill -9 the service 60 s into the export and start another
#                                           # replica: it takes the job over after the lease (5 s here)
#                                           # and the files still hold every resource exactly once
#
# Needs what ops/lib.sh needs (PostgreSQL server binaries, java, curl, python3, openssl).
# Ports (override if taken): OPS_PG_PORT 26447, OPS_HTTP_PORT 18099.
set -euo pipefail
cd "$(dirname "$0")/.."
OPS_NAME=export-bench
source ops/lib.sh
trap ops_cleanup EXIT
PATIENTS=${PATIENTS:-1000000}
PG_PORT=${OPS_PG_PORT:-26447}
HTTP_PORT=${OPS_HTTP_PORT:-18099}
BASE="http://127.0.0.1:$HTTP_PORT"
require_jar
pg_start export "$PG_PORT" healthcare
KEYS=$(gen_keys)
KILL_AFTER=${KILL_AFTER:-}
LEASE=${KILL_AFTER:+5S}
app_start export-app "$HTTP_PORT" "$PG_PORT" healthcare "$KEYS" HEALTHCARE_PUBLIC_URL="$BASE" \
  HEALTHCARE_EXPORT_LEASE="${LEASE:-30S}"
wait_status "$BASE/q/health/ready" 200 180 "$APP_PID" || fail "the service did not start"
email="export-$(date +%s)@example.com"
curl -sf -H 'Content-Type: application/json' -d "{\"name\":\"Export\",\"email\":\"$email\",\"password\":\"export-password-1\"}" \
  "$BASE/api/auth/register" >/dev/null
token=$(curl -sf -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"export-password-1\"}" \
  "$BASE/api/auth/login" | json "d['token']")
user=$(psql_q "$PG_PORT" healthcare "select id from users where email = '$email'")

log "seeding $PATIENTS patients with a disease text and a coded condition each"
psql_q "$PG_PORT" healthcare "insert into patients (owner_id, name, gender, birth_date, disease, created_at, updated_at)
  select $user, 'Bench Patient ' || g, case when g % 2 = 0 then 'female' else 'male' end,
         date '1940-01-01' + (g % 25000), 'Hypertension', now(), now() from generate_series(1, $PATIENTS) g" >/dev/null
psql_q "$PG_PORT" healthcare "insert into conditions (patient_id, code_system, code, code_display, category, clinical_status,
  recorded_at, created_at, updated_at, version)
  select id, 'http://snomed.info/sct', '44054006', 'Diabetes mellitus type 2', 'problem-list-item', 'active', now(), now(), now(), 0
  from patients where owner_id = $user" >/dev/null
psql_q "$PG_PORT" healthcare "vacuum analyze patients, conditions" >/dev/null

rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$APP_PID/status"; }
log "RSS before: $(rss) MiB"
hdr="$OPS_TMP/kickoff.headers"
kick=$(curl -s -o /dev/null -D "$hdr" -w '%{http_code} %{time_total}' "$BASE/fhir/Patient/\$export" \
  -H "Authorization: Bearer $token" -H 'Accept: application/fhir+json' -H 'Prefer: respond-async')
[ "${kick%% *}" = 202 ] || fail "kick-off answered $kick"
status=$(tr -d '\r' <"$hdr" | sed -n 's/^[Cc]ontent-[Ll]ocation: //p')
start=$(date +%s.%N)
max=0
while :; do
  code=$(curl -s -o "$OPS_TMP/manifest.json" -w '%{http_code}' "$status" -H "Authorization: Bearer $token")
  r=$(rss); [ "$r" -gt "$max" ] && max=$r
  [ "$code" = 200 ] && break
  [ "$code" = 202 ] || fail "status answered $code"
  if [ -n "$KILL_AFTER" ] && [ -z "${killed:-}" ] && [ "$(python3 -c "print(int($(date +%s.%N) - $start >= $KILL_AFTER))")" = 1 ]; then
    log "kill -9 of the service ($APP_PID) mid-export, RSS so far max $max MiB; another replica starts"
    kill -9 "$APP_PID"
    wait "$APP_PID" 2>/dev/null || true
    killed=1
    app_start export-app-2 "$HTTP_PORT" "$PG_PORT" healthcare "$KEYS" HEALTHCARE_PUBLIC_URL="$BASE" HEALTHCARE_EXPORT_LEASE=5S
    wait_status "$BASE/q/health/ready" 200 180 "$APP_PID" || fail "the second replica did not start"
  fi
  sleep 1
done
end=$(date +%s.%N)
lines=0
for url in $(json "' '.join(f['url'] for f in d['output'])" <"$OPS_TMP/manifest.json"); do
  n=$(curl -sf "$url" -H "Authorization: Bearer $token" -H 'Accept: application/fhir+ndjson' | wc -l)
  lines=$((lines + n))
  r=$(rss); [ "$r" -gt "$max" ] && max=$r
done
# The kick-off again, warm, 10 times (each cancelled at once): it records a job, whatever the size.
warm=()
for i in $(seq 1 10); do
  k=$(curl -s -o /dev/null -D "$hdr" -w '%{http_code} %{time_total}' "$BASE/fhir/Patient/\$export" \
    -H "Authorization: Bearer $token" -H 'Accept: application/fhir+json' -H 'Prefer: respond-async')
  [ "${k%% *}" = 202 ] || fail "kick-off $i answered $k"
  warm+=("${k#* }")
  curl -s -o /dev/null -X DELETE "$(tr -d '\r' <"$hdr" | sed -n 's/^[Cc]ontent-[Ll]ocation: //p')" -H "Authorization: Bearer $token"
done
log "kick-off, warm, 10 times: $(printf '%s\n' "${warm[@]}" | sort -n | awk '{a[NR]=$1*1000} END {printf "median %.0f ms, max %.0f ms", (a[5]+a[6])/2, a[NR]}')"
held=$(psql_q "$PG_PORT" healthcare "select string_agg(record_count::text, ',') from audit_events where via = 'export'")
[ "$held" = "$PATIENTS" ] || fail "the export's audit event holds $held patients, not $PATIENTS"
log "the export's one audit event holds $held patients (audit_event_records)"
python3 - "$PATIENTS" "$lines" "$start" "$end" "${kick#* }" "$max" <<'PY'
import sys
patients, lines, start, end, kick, rss = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
resources = patients * 3  # Patient, the disease Condition, the coded Condition
print(f"export of {patients} patients: {lines} NDJSON lines (expected {resources}); kick-off {kick * 1000:.0f} ms;"
      f" export {end - start:.1f} s = {resources / (end - start):.0f} resources/s; max RSS {rss} MiB;"
      f" load average {open('/proc/loadavg').read().split()[0]}")
sys.exit(0 if lines == resources else 1)
PY
