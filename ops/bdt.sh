#!/usr/bin/env bash
# The SMART Bulk Data test suite (smart-on-fhir/bdt, Bulk Data 2.0) against the packaged service:
# a throwaway PostgreSQL cluster, the jar in prod mode with HEALTHCARE_PUBLIC_URL (Bulk Data
# clients follow absolute URLs), a user with an organization, patients, conditions and a doctor
# made through the API, then BDT's patient-, system- and group-level tests, authenticated as a
# system client registered through the API (SMART Backend Services), or with the user's token.
#
#   ./mvnw -B -q package -DskipTests && bash ops/bdt.sh
#
# BDT is not published on npm (checked 2026-12-07: `npm view bdt` and `npm view @smart-on-fhir/bdt`
# are 404), and CI reaches npm but not GitHub: so it is not part of .ci/run (a run takes ~100 s).
# BDT_DIR (default target/bdt) must hold its source at BDT_COMMIT; when
# it does not, the script clones it from GitHub (git must reach github.com) or, offline, tells you to
# unpack a copy there (`git archive` of a mirror, as the lead's machine does). `npm i` runs in it
# when node_modules is missing (the npm registry must be reachable).
# Ports (override if taken): OPS_PG_PORT 26451, OPS_HTTP_PORT 18103. The report: $BDT_REPORT
# (default target/bdt-report.txt). Exits non-zero when a test fails other than the 9 of its 162 that
# cannot pass against a server that follows the specifications as this one does (docs/bulk-export.md,
# "SMART's test suite (BDT)", names them and why, checked against BDT's source; listed in KNOWN
# below); the last run: 151 passed, 9 failed, 2 not supported.
set -uo pipefail
cd "$(dirname "$0")/.."
OPS_NAME=bdt
source ops/lib.sh
trap ops_cleanup EXIT

BDT_COMMIT=3a17211
BDT_DIR=${BDT_DIR:-$OPS_ROOT/target/bdt}
BDT_REPORT=${BDT_REPORT:-$OPS_ROOT/target/bdt-report.txt}
PG_PORT=${OPS_PG_PORT:-26451}
HTTP_PORT=${OPS_HTTP_PORT:-18103}
BASE="http://127.0.0.1:$HTTP_PORT"

# ---- BDT --------------------------------------------------------------------------------------
if [ ! -f "$BDT_DIR/build/lib/bin.js" ]; then
  log "cloning smart-on-fhir/bdt at $BDT_COMMIT into $BDT_DIR"
  { git clone -q https://github.com/smart-on-fhir/bdt "$BDT_DIR" && git -C "$BDT_DIR" checkout -q "$BDT_COMMIT"; } \
    || fail "no BDT in $BDT_DIR and GitHub is not reachable: unpack smart-on-fhir/bdt@$BDT_COMMIT there (git archive), then run this again"
fi
if [ ! -d "$BDT_DIR/node_modules" ]; then
  log "npm i in $BDT_DIR"
  (cd "$BDT_DIR" && timeout 600 npm i --no-audit --no-fund --loglevel=error >/dev/null) || fail "npm i failed in $BDT_DIR"
fi
command -v node >/dev/null || fail "node is needed to run BDT"

# ---- The service --------------------------------------------------------------------------------
require_jar
pg_start bdt "$PG_PORT" healthcare
KEYS=$(gen_keys)
app_start bdt "$HTTP_PORT" "$PG_PORT" healthcare "$KEYS" HEALTHCARE_PUBLIC_URL="$BASE" HEALTHCARE_EXPORT_POLL_INTERVAL=1s
wait_status "$BASE/q/health/ready" 200 180 "$APP_PID" || { tail -50 "$(app_log bdt)" >&2; fail "the service did not start"; }

# ---- A user with data, through the API ----------------------------------------------------------
EMAIL="bdt-$(openssl rand -hex 4)@example.com"
PASSWORD="bdt-$(openssl rand -hex 12)"
curl -sf -o /dev/null -X POST "$BASE/api/auth/register" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Bulk Data Tester\",\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" || fail "register"
TOKEN=$(curl -sf -X POST "$BASE/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" | json "d['token']") || fail "login"
AUTH="Authorization: Bearer $TOKEN"
ORG=$(curl -sf -X POST "$BASE/api/organizations" -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"name":"BDT Clinic"}' | json "d['id']") || fail "organization"
for i in 1 2 3 4 5; do
  P=$(curl -sf -X POST "$BASE/api/patients" -H "$AUTH" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Bulk Patient $i\",\"gender\":\"female\",\"birthDate\":\"198$i-0$i-1$i\",\"disease\":\"Asthma\",\"organizationId\":$ORG}" \
    | json "d['id']") || fail "patient"
  curl -sf -o /dev/null -X POST "$BASE/api/patients/$P/conditions" -H "$AUTH" -H 'Content-Type: application/json' \
    -d '{"code":{"system":"http://snomed.info/sct","code":"44054006","display":"Diabetes mellitus type 2"}}' || fail "condition"
done
curl -sf -o /dev/null -X POST "$BASE/api/patients" -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"name":"Personal Patient","gender":"male"}' || fail "patient"
curl -sf -o /dev/null -X POST "$BASE/api/doctors" -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"name":"Dr Bulk","specialization":"Cardiology"}' || fail "doctor"

# ---- BDT's configuration ------------------------------------------------------------------------
# SMART Backend Services when the service has a token endpoint (branch smart-clients): a client
# registered through the API for the organization, with an ES384 key made here (the private JWK goes
# to BDT only, in the temporary directory). Else (BDT_AUTH=user, or no token endpoint) the user's
# token on every request, BDT's "none" authentication: its authorization tests are then skipped.
CONFIG="$OPS_TMP/bdt-config.js"
BDT_AUTH=${BDT_AUTH:-$( [ "$(status "$BASE/fhir/.well-known/smart-configuration")" = 200 ] && echo system || echo user )}
if [ "$BDT_AUTH" = system ]; then
  KEY="$OPS_TMP/bdt-key.json"
  (cd "$BDT_DIR" && node -e '
    const jose = require("node-jose");
    jose.JWK.createKey("EC", "P-384", { alg: "ES384", use: "sig", kid: "bdt-" + Date.now() }).then(key => {
      process.stdout.write(JSON.stringify({ private: key.toJSON(true), jwks: { keys: [key.toJSON()] } }));
    });') >"$KEY" || fail "could not make a key"
  CLIENT_ID=$(python3 -c "import json,sys; print(json.dumps({'name': 'BDT', 'scope': 'system/*.rs', 'jwks': json.load(open(sys.argv[1]))['jwks']}))" "$KEY" \
    | curl -sf -X POST "$BASE/api/organizations/$ORG/clients" -H "$AUTH" -H 'Content-Type: application/json' -d @- \
    | json "d['clientId']") || fail "client registration"
  PRIVATE=$(python3 -c "import json,sys; print(json.dumps(json.load(open(sys.argv[1]))['private']))" "$KEY")
  AUTHENTICATION="{ type: \"backend-services\", optional: false, tokenEndpoint: \"$BASE/auth/token\", clientId: \"$CLIENT_ID\",
        privateKey: $PRIVATE, scope: \"system/*.read\", tokenSignAlgorithm: \"ES384\", tokenExpiresIn: \"5m\" }"
  HEADERS="{}"
  log "BDT authenticates as client $CLIENT_ID (SMART Backend Services)"
else
  AUTHENTICATION='{ type: "none", optional: false }'
  HEADERS="{ authorization: \"Bearer $TOKEN\" }"
  log "BDT sends the user's token (no token endpoint: its authorization tests are skipped)"
fi
cat >"$CONFIG" <<EOF
module.exports = {
    baseURL: "$BASE/fhir",
    systemExportEndpoint: "\$export",
    patientExportEndpoint: "Patient/\$export",
    groupExportEndpoint: "Group/$ORG/\$export",
    fastestResource: "Patient",
    supportedResourceTypes: ["Patient", "Condition"],
    authentication: $AUTHENTICATION,
    requests: { strictSSL: true, timeout: 30000, customHeaders: $HEADERS }
};
EOF

log "running BDT (Bulk Data 2.0) against $BASE/fhir"
mkdir -p "$(dirname "$BDT_REPORT")"
(cd "$BDT_DIR" && timeout 1800 node build/lib/bin.js test -c "$CONFIG" --api-version 2.0 -C -v auto) >"$BDT_REPORT" 2>&1
rc=$?
grep -E "tests executed|succeeded tests|skipped tests|failed tests|not implemented|not supported tests" "$BDT_REPORT" >&2 || true
failed=$(sed -n 's/^ *failed tests: *\([0-9]*\).*/\1/p' "$BDT_REPORT")
log "report: $BDT_REPORT (BDT exit $rc)"
[ -n "$failed" ] || fail "BDT did not report its results"
# The tests that cannot pass against a server following the specifications (docs/bulk-export.md,
# "SMART's test suite (BDT)", says why for each): any other failure fails this check.
KNOWN="Accepts multiple includeAssociatedData parameters
Accepts multiple includeAssociatedData values as comma separated list
Includes lenient errors in the payload errors array
Handles V1 scopes correctly
Handles V2 scopes correctly"
names=$(sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$BDT_REPORT" | grep -o '✘ [^(]*' | sed 's/^✘ //; s/ *$//' | sort -u)
[ "$failed" = 0 ] || [ -n "$names" ] || fail "$failed tests failed, but their names are not in the report"
unexpected=$(printf '%s\n' "$names" | grep -vxF "$KNOWN" | grep -v '^$')
if [ -n "$unexpected" ]; then
  log "failed beyond the known ones (docs/bulk-export.md):"
  printf '  %s\n' "$unexpected" >&2
  exit 1
fi
log "every failure is one of the known ones, each with its reason in docs/bulk-export.md"
