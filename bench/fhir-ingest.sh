#!/usr/bin/env bash
# FHIR ingest rate through transaction bundles (issue 20: >= 1,000 resources/s on the 2-core box).
# Runs the packaged service on a throwaway database, then POSTs BUNDLES transaction bundles of
# PATIENTS patients with 4 SNOMED CT conditions each (urn:uuid references) one after another, and
# prints resources per second over the POSTs (parsing, the services, history, audit, commit).
# CLIENTS posters run at once (default 1), each posting its share of the bundles in turn, as a
# loader with several connections does.
#
#   ./mvnw -B -q package -DskipTests && bash bench/fhir-ingest.sh   [BUNDLES=10 PATIENTS=200 CLIENTS=1]
set -euo pipefail
cd "$(dirname "$0")/.."
OPS_NAME=fhir-ingest
source ops/lib.sh
trap ops_cleanup EXIT
BUNDLES=${BUNDLES:-10}
PATIENTS=${PATIENTS:-200}
CLIENTS=${CLIENTS:-1}
PG_PORT=${OPS_PG_PORT:-26445}
HTTP_PORT=${OPS_HTTP_PORT:-18097}
pg_start ingest "$PG_PORT" healthcare
app_start ingest-app "$HTTP_PORT" "$PG_PORT" healthcare "$(gen_keys)"
BASE="http://127.0.0.1:$HTTP_PORT"
wait_status "$BASE/q/health/ready" 200 120 "$APP_PID" || fail "the service did not start"
email="ingest-$(date +%s)@example.com"
curl -sf -H 'Content-Type: application/json' -d "{\"name\":\"Ingest\",\"email\":\"$email\",\"password\":\"ingest-password-1\"}" \
  "$BASE/api/auth/register" >/dev/null
token=$(curl -sf -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"ingest-password-1\"}" \
  "$BASE/api/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
dir=$(mktemp -d)
python3 - "$dir" "$BUNDLES" "$PATIENTS" <<'PY'
import json, sys, uuid
out, bundles, patients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
codes = ["44054006", "38341003", "195662009", "10509002"]
for b in range(bundles):
    entries = []
    for p in range(patients):
        u = "urn:uuid:" + str(uuid.uuid4())
        entries.append({"fullUrl": u, "request": {"method": "POST", "url": "Patient"}, "resource": {
            "resourceType": "Patient", "identifier": [{"system": "http://bench.example/mrn", "value": f"B{b}-P{p}-{uuid.uuid4().hex[:8]}"}],
            "name": [{"family": "Bench", "given": ["Pat"]}], "gender": "female", "birthDate": "1980-01-01"}})
        for c in codes:
            entries.append({"request": {"method": "POST", "url": "Condition"}, "resource": {
                "resourceType": "Condition", "subject": {"reference": u},
                "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "encounter-diagnosis"}]}],
                "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]},
                "code": {"coding": [{"system": "http://snomed.info/sct", "code": c}]}, "onsetDateTime": "2015-03-12T10:31:03-04:00"}})
    json.dump({"resourceType": "Bundle", "type": "transaction", "entry": entries}, open(f"{out}/b{b}.json", "w"))
PY
# One bundle first to warm the JVM (not counted).
curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/fhir+json' --data-binary @"$dir/b0.json" "$BASE/fhir"
post() { # post bundles FROM, FROM+CLIENTS, ... below BUNDLES; any answer but 200 fails the run
  local b code
  for ((b = $1; b < BUNDLES; b += CLIENTS)); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/fhir+json' \
      --data-binary @"$dir/b$b.json" "$BASE/fhir")
    [ "$code" = 200 ] || { echo "bundle $b answered $code" >&2; return 1; }
  done
}
start=$(date +%s.%N)
pids=()
for ((c = 0; c < CLIENTS; c++)); do
  post $((1 + c)) &
  pids+=($!)
done
for p in "${pids[@]}"; do
  wait "$p" || fail "a bundle was not accepted"
done
end=$(date +%s.%N)
python3 -c "n=($BUNDLES-1)*$PATIENTS*5; s=$end-$start; print(f'FHIR transaction ingest: {n} resources in {s:.2f} s = {n/s:.0f} resources/s ($CLIENTS client(s), bundles of {$PATIENTS*5} entries; load average: ' + open('/proc/loadavg').read().split()[0] + ')')"
rm -rf "$dir"
