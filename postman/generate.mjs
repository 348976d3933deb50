// Generates the Postman collection from the live OpenAPI document with openapi-to-postmanv2,
// then makes it runnable end to end (in Postman's Collection Runner or with Newman):
//   - requests run in a working order: register, log in, me; doctors; patients; mappings;
//     the admin's user list; then the deletes;
//   - "Log in" stores the token in the environment variable `bearerToken`, which every
//     protected request already uses (Bearer auth); "Log in as the admin" stores `adminToken`;
//   - request bodies are filled from the document's schema examples, with the ids and the
//     credentials taken from variables, and every request checks its status code.
//
//   BASE_URL=http://127.0.0.1:8080 node generate.mjs [output.json]
//
// The output is deterministic (no random ids), so a regenerated collection diffs cleanly.
import { writeFileSync } from 'node:fs';

// The converter fills values the document gives no example for with Math.random(); a seeded
// generator, installed before the converter is loaded (its faker keeps a reference), makes the
// output the same on every run.
let seed = 20261121;
Math.random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const { default: Converter } = await import('openapi-to-postmanv2');

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const OUTPUT = process.argv[2] || new URL('./healthcare-api.postman_collection.json', import.meta.url).pathname;

const response = await fetch(`${BASE_URL}/q/openapi?format=json`);
if (!response.ok) {
  throw new Error(`GET ${BASE_URL}/q/openapi answered ${response.status}`);
}
const spec = await response.json();

const converted = await new Promise((resolve, reject) => {
  Converter.convert(
    { type: 'json', data: spec },
    { folderStrategy: 'Tags', requestNameSource: 'Fallback', parametersResolution: 'Example' },
    (err, result) => (err ? reject(err) : result.result ? resolve(result.output[0].data) : reject(new Error(result.reason))),
  );
});

// ---- What each request does in the run: variables for path ids, body overrides, checks. ----
const test = (lines) => ({ listen: 'test', script: { type: 'text/javascript', exec: lines } });
const prerequest = (lines) => ({ listen: 'prerequest', script: { type: 'text/javascript', exec: lines } });
const expectStatus = (code) => [`pm.test('status is ${code}', () => pm.response.to.have.status(${code}));`];
const store = (variable, expression) => [`pm.environment.set('${variable}', ${expression});`];

// FHIR bodies (raw: the document's FHIR schemas are FHIR's own, with no examples to fill from).
const FHIR_PATIENT = JSON.stringify({
  resourceType: 'Patient', identifier: [{ system: 'http://hospital.example.org/mrn', value: '{{fhirMrn}}' }],
  name: [{ family: 'Doe', given: ['Jane'] }], gender: 'female', birthDate: '1984-03-07',
}, null, 2);
const FHIR_CONDITION = JSON.stringify({
  resourceType: 'Condition', subject: { reference: 'Patient/{{fhirPatientId}}' },
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  code: { coding: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' }] },
  onsetDateTime: '2019-04-01',
}, null, 2);
const FHIR_TRANSACTION = JSON.stringify({
  resourceType: 'Bundle', type: 'transaction', entry: [
    { fullUrl: '{{fhirUuid}}', resource: JSON.parse(FHIR_PATIENT.replace('{{fhirMrn}}', '{{fhirTxMrn}}')),
      request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=http://hospital.example.org/mrn|{{fhirTxMrn}}' } },
    { resource: { ...JSON.parse(FHIR_CONDITION), subject: { reference: '{{fhirUuid}}' } },
      request: { method: 'POST', url: 'Condition' } },
  ],
}, null, 2);

// A Bulk Data kick-off by POST: its parameters in a FHIR Parameters resource.
const EXPORT_PARAMETERS = JSON.stringify({
  resourceType: 'Parameters', parameter: [{ name: '_type', valueString: 'Patient,Condition' },
    { name: '_outputFormat', valueString: 'application/fhir+ndjson' }],
}, null, 2);

/** Key: "METHOD /path/{param}" as in the OpenAPI document. Order here is the run order. */
const PLAN = [
  ['POST /api/auth/register', {
    body: { name: 'Postman User', email: '{{email}}', password: '{{password}}' },
    events: [
      prerequest([
        "// A new account for every run: a unique email, and a password unless one is set.",
        "pm.environment.set('email', 'postman-' + Date.now() + '-' + Math.floor(Math.random() * 1e6) + '@example.com');",
        "if (!pm.environment.get('password')) { pm.environment.set('password', 'postman-pw-' + Date.now()); }",
      ]),
      test([...expectStatus(201), ...store('userId', 'pm.response.json().id')]),
    ],
  }],
  ['POST /api/auth/login', {
    body: { email: '{{email}}', password: '{{password}}' },
    events: [test([
      ...expectStatus(200),
      "pm.test('a bearer token', () => pm.expect(pm.response.json().tokenType).to.eql('Bearer'));",
      '// Every protected request sends {{bearerToken}} as Authorization: Bearer.',
      ...store('bearerToken', 'pm.response.json().token'),
      ...store('refreshToken', 'pm.response.json().refreshToken'),
    ])],
  }],
  ['POST /api/auth/refresh', {
    body: { refreshToken: '{{refreshToken}}' },
    events: [test([
      ...expectStatus(200),
      "pm.test('a new refresh token', () => pm.expect(pm.response.json().refreshToken).to.not.eql(pm.environment.get('refreshToken')));",
      '// A refresh token works once: keep the new pair.',
      ...store('bearerToken', 'pm.response.json().token'),
      ...store('refreshToken', 'pm.response.json().refreshToken'),
    ])],
  }],
  ['GET /api/auth/sessions', { events: [test([...expectStatus(200),
    "pm.test('the current session is listed', () => pm.expect(pm.response.json().filter(s => s.current)).to.have.lengthOf(1));",
    ...store('sessionId', 'pm.response.json().find(s => s.current).id')])] }],
  ['POST /api/auth/password', {
    body: { currentPassword: '{{password}}', newPassword: '{{newPassword}}' },
    events: [
      prerequest(["pm.environment.set('newPassword', 'postman-pw-new-' + Date.now());"]),
      test([...expectStatus(204), ...store('password', "pm.environment.get('newPassword')")]),
    ],
  }],
  ['GET /api/auth/me', { events: [test([...expectStatus(200),
    "pm.test('the caller', () => pm.expect(pm.response.json().email).to.eql(pm.environment.get('email')));"])] }],
  ['POST /api/doctors', { events: [test([...expectStatus(201), ...store('doctorId', 'pm.response.json().id')])] }],
  ['GET /api/doctors', { events: [test([...expectStatus(200),
    "pm.test('paging headers', () => pm.response.to.have.header('X-Total-Count'));"])] }],
  ['GET /api/doctors/{id}', { vars: { id: '{{doctorId}}' }, events: [test([...expectStatus(200),
    "pm.test('an ETag', () => pm.response.to.have.header('ETag'));"])] }],
  ['PUT /api/doctors/{id}', { vars: { id: '{{doctorId}}' }, body: { contactInfo: 'Mon-Fri 9-17' },
    events: [test(expectStatus(200))] }],
  ['POST /api/patients', { body: { organizationId: undefined, restricted: undefined, birthDate: undefined }, events: [test([...expectStatus(201), ...store('patientId', 'pm.response.json().id'),
    "pm.test('a Location', () => pm.response.to.have.header('Location'));"])] }],
  ['GET /api/patients', { events: [test([...expectStatus(200),
    "pm.test('the new patient is listed', () => pm.expect(pm.response.json().map(p => p.id)).to.include(Number(pm.environment.get('patientId'))));"])] }],
  ['GET /api/patients/{id}', { vars: { id: '{{patientId}}' }, events: [test([...expectStatus(200),
    ...store('patientEtag', "pm.response.headers.get('ETag')")])] }],
  ['PUT /api/patients/{id}', { vars: { id: '{{patientId}}' }, headers: { 'If-Match': '{{patientEtag}}' },
    body: { age: 43 }, events: [test([...expectStatus(200),
      "pm.test('updated', () => pm.expect(pm.response.json().age).to.eql(43));"])] }],
  ['POST /api/patients/{id}/conditions', { vars: { id: '{{patientId}}' }, events: [test([...expectStatus(201),
    "pm.test('a problem-list item', () => pm.expect(pm.response.json().category).to.eql('problem-list-item'));",
    ...store('conditionId', 'pm.response.json().id'), ...store('conditionEtag', "pm.response.headers.get('ETag')")])] }],
  ['GET /api/patients/{id}/conditions', { vars: { id: '{{patientId}}' }, events: [test([...expectStatus(200),
    "pm.test('the condition is listed', () => pm.expect(pm.response.json().map(c => c.id)).to.include(Number(pm.environment.get('conditionId'))));"])] }],
  ['GET /api/patients/{id}/conditions/{cid}', { vars: { id: '{{patientId}}', cid: '{{conditionId}}' },
    events: [test(expectStatus(200))] }],
  ['PUT /api/patients/{id}/conditions/{cid}', { vars: { id: '{{patientId}}', cid: '{{conditionId}}' },
    headers: { 'If-Match': '{{conditionEtag}}' }, body: { clinicalStatus: 'remission', abatementDate: '2024-01-15' },
    events: [test([...expectStatus(200),
      "pm.test('in remission', () => pm.expect(pm.response.json().clinicalStatus).to.eql('remission'));"])] }],
  ['GET /api/patients/{id}/history', { vars: { id: '{{patientId}}' }, events: [test([...expectStatus(200),
    "pm.test('create and update are kept', () => pm.expect(pm.response.json().map(r => r.action)).to.eql(['update', 'create']));",
    ...store('patientVersion', 'pm.response.json()[1].version')])] }],
  ['GET /api/patients/{id}/history/{version}', { vars: { id: '{{patientId}}', version: '{{patientVersion}}' },
    events: [test([...expectStatus(200),
      "pm.test('the record as created', () => pm.expect(pm.response.json().action).to.eql('create'));"])] }],
  ['POST /api/mappings', { body: { patientId: '{{patientId}}', doctorId: '{{doctorId}}' },
    events: [test([...expectStatus(201), ...store('mappingId', 'pm.response.json().id')])] }],
  ['GET /api/mappings', { events: [test(expectStatus(200))] }],
  ['GET /api/mappings/{patientId}', { vars: { patientId: '{{patientId}}' }, events: [test([...expectStatus(200),
    "pm.test('the assigned doctor', () => pm.expect(pm.response.json().map(d => d.mappingId)).to.include(Number(pm.environment.get('mappingId'))));"])] }],
  ['GET /api/mappings/patient/{patientId}', { vars: { patientId: '{{patientId}}' }, events: [test(expectStatus(200))] }],
  // ---- The clinic walkthrough: create, invite, accept, share, restrict, break the glass, review. ----
  ['POST /api/organizations', { body: { name: 'Postman Clinic' }, events: [test([...expectStatus(201),
    "pm.test('the caller is its first admin', () => pm.expect(pm.response.json().role).to.eql('admin'));",
    ...store('organizationId', 'pm.response.json().id')])] }],
  ['GET /api/organizations', { events: [test([...expectStatus(200),
    "pm.test('the clinic is listed', () => pm.expect(pm.response.json().map(o => o.id)).to.include(Number(pm.environment.get('organizationId'))));"])] }],
  ['GET /api/organizations/{id}', { vars: { id: '{{organizationId}}' }, events: [test([...expectStatus(200),
    ...store('organizationEtag', "pm.response.headers.get('ETag')")])] }],
  ['PATCH /api/organizations/{id}', { vars: { id: '{{organizationId}}' }, headers: { 'If-Match': '{{organizationEtag}}' },
    body: { name: 'Postman Clinic North' }, events: [test(expectStatus(200))] }],
  ['POST /api/organizations/{id}/invitations', { vars: { id: '{{organizationId}}' }, body: { role: 'clinician' },
    events: [test([...expectStatus(201),
      '// The code is shown once: hand it to the colleague (here: the next requests).',
      ...store('invitationCode', 'pm.response.json().code')])] }],
  ['REGISTER_COLLEAGUE', { from: 'POST /api/auth/register', name: 'Register a colleague', folder: 'POST /api/organizations',
    body: { name: 'Postman Colleague', email: '{{colleagueEmail}}', password: '{{password}}' },
    events: [
      prerequest(["pm.environment.set('colleagueEmail', 'postman-colleague-' + Date.now() + '@example.com');"]),
      test([...expectStatus(201), ...store('colleagueId', 'pm.response.json().id')]),
    ] }],
  ['LOGIN_COLLEAGUE', { from: 'POST /api/auth/login', name: 'Log in as the colleague', folder: 'POST /api/organizations',
    body: { email: '{{colleagueEmail}}', password: '{{password}}' },
    events: [test([...expectStatus(200), ...store('colleagueToken', 'pm.response.json().token')])] }],
  ['POST /api/invitations/accept', { as: 'colleague', body: { code: '{{invitationCode}}' }, events: [test([...expectStatus(200),
    "pm.test('a clinician of the clinic', () => pm.expect(pm.response.json().role).to.eql('clinician'));"])] }],
  ['GET /api/organizations/{id}/members', { vars: { id: '{{organizationId}}' }, events: [test([...expectStatus(200),
    "pm.test('two members', () => pm.expect(pm.response.json()).to.have.lengthOf(2));"])] }],
  ['PATCH /api/organizations/{id}/members/{userId}', { vars: { id: '{{organizationId}}', userId: '{{colleagueId}}' },
    body: { role: 'reader' }, events: [test([...expectStatus(200),
      "pm.test('now a reader', () => pm.expect(pm.response.json().role).to.eql('reader'));"])] }],
  ['SHARE', { from: 'PUT /api/patients/{id}', name: 'Share the patient with the clinic', folder: 'POST /api/organizations',
    vars: { id: '{{patientId}}' }, body: { organizationId: '{{organizationId}}' }, events: [test([...expectStatus(200),
      "pm.test('in the clinic now', () => pm.expect(pm.response.json().organizationId).to.eql(Number(pm.environment.get('organizationId'))));"])] }],
  ['COLLEAGUE_READS', { from: 'GET /api/patients/{id}', name: 'The colleague reads the shared patient',
    folder: 'POST /api/organizations', as: 'colleague', vars: { id: '{{patientId}}' }, events: [test(expectStatus(200))] }],
  ['RESTRICT', { from: 'PUT /api/patients/{id}', name: 'Restrict the patient', folder: 'POST /api/organizations',
    vars: { id: '{{patientId}}' }, body: { restricted: true }, events: [test([...expectStatus(200),
      "pm.test('restricted', () => pm.expect(pm.response.json().restricted).to.eql(true));"])] }],
  ['COLLEAGUE_REFUSED', { from: 'GET /api/patients/{id}', name: 'The colleague is refused the restricted record',
    folder: 'POST /api/organizations', as: 'colleague', vars: { id: '{{patientId}}' }, events: [test([...expectStatus(403),
      "pm.test('break-glass required', () => pm.expect(pm.response.json().type).to.match(/break-glass-required$/));"])] }],
  ['POST /api/patients/{id}/break-glass', { as: 'colleague', folder: 'POST /api/organizations', vars: { id: '{{patientId}}' },
    body: { reason: 'Covering the ward tonight: the patient was transferred in' }, events: [test([...expectStatus(201),
      "pm.test('it expires', () => pm.expect(pm.response.json().expiresAt).to.be.a('string'));"])] }],
  ['COLLEAGUE_BREAKS_GLASS', { from: 'GET /api/patients/{id}', name: 'The colleague reads it under the grant (audited with the reason)',
    folder: 'POST /api/organizations', as: 'colleague', vars: { id: '{{patientId}}' }, events: [test(expectStatus(200))] }],
  ['GET /api/organizations/{id}/break-glass', { vars: { id: '{{organizationId}}' }, events: [test([...expectStatus(200),
    "pm.test('the grant is up for review', () => pm.expect(pm.response.json()[0].reason).to.match(/Covering the ward/));"])] }],
  ['GET /api/organizations/{id}/audit', { vars: { id: '{{organizationId}}' },
    query: { recordType: 'patient', recordId: '{{patientId}}' }, events: [test([...expectStatus(200),
      "pm.test('the read under break-glass is there', () => pm.expect(pm.response.json().some(e => e.detail && e.detail.breakGlass)).to.eql(true));"])] }],
  ['GET /api/patients/{id}/access-report', { folder: 'POST /api/organizations', headers: { Accept: 'application/json' }, vars: { id: '{{patientId}}' }, events: [test([...expectStatus(200),
    "pm.test('the read under break-glass is accounted for', () => pm.expect(pm.response.json().some(r => r.breakGlass)).to.eql(true));"])] }],
  // ---- System clients (SMART Backend Services): register one with a public key (its private key
  // was thrown away: this client can never get a token), read the SMART configuration, see the
  // token endpoint refuse an assertion Postman cannot sign (ops/smart-token.sh signs real ones),
  // and revoke the client in the clean-up. ----
  ['POST /api/organizations/{id}/clients', { vars: { id: '{{organizationId}}' }, body: {
    name: 'Analytics warehouse', scope: 'system/*.rs', jwks: { keys: [{ kty: 'EC', crv: 'P-384',
      x: 'CmiL5dVLfILdtm6pz0cT2TquK21HmXIcxyosjSXrPn2lY5-H6P4yVw3Aemk330rr',
      y: 'EbutNUAB92dA_Db2c4FIM1Mt1SkkdKzDfUZ6apBnZCePUgQZ5_geiYTHwuOxzK33',
      kid: 'postman-example-key', alg: 'ES384', use: 'sig' }] } },
  events: [test([...expectStatus(201), ...store('clientId', 'pm.response.json().clientId')])] }],
  ['GET /api/organizations/{id}/clients', { vars: { id: '{{organizationId}}' }, events: [test([...expectStatus(200),
    "pm.test('the client is listed', () => pm.expect(pm.response.json().map(c => c.clientId)).to.include(pm.environment.get('clientId')));"])] }],
  ['GET /fhir/.well-known/smart-configuration', { events: [test([...expectStatus(200),
    "pm.test('private_key_jwt', () => pm.expect(pm.response.json().token_endpoint_auth_methods_supported).to.eql(['private_key_jwt']));"])] }],
  ['POST /auth/token', { form: { grant_type: 'client_credentials', scope: 'system/*.rs',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: 'a JWT signed with the client key: bash ops/smart-token.sh assertion CLIENT_ID KEY.pem KID' },
  events: [test([...expectStatus(401),
    "pm.test('an OAuth error', () => pm.expect(pm.response.json().error).to.eql('invalid_client'));"])] }],
  ['GET /auth/authorize', { events: [test([...expectStatus(400),
    "pm.test('no user authorization here', () => pm.expect(pm.response.json().error).to.eql('unsupported_response_type'));"])] }],
  ['GET /fhir/metadata', { events: [test([...expectStatus(200),
    "pm.test('FHIR 4.0.1', () => pm.expect(pm.response.json().fhirVersion).to.eql('4.0.1'));"])] }],
  ['GET /fhir/Patient/{id}', { vars: { id: '{{patientId}}' }, events: [test([...expectStatus(200),
    "pm.test('a Patient', () => pm.expect(pm.response.json().resourceType).to.eql('Patient'));"])] }],
  ['GET /fhir/Patient', { events: [test([...expectStatus(200),
    "pm.test('a searchset Bundle', () => pm.expect(pm.response.json().type).to.eql('searchset'));"])] }],
  ['GET /fhir/Patient/{id}/_history/{vid}', { vars: { id: '{{patientId}}', vid: '{{patientVersion}}' },
    events: [test(expectStatus(200))] }],
  ['GET /fhir/Practitioner/{id}', { vars: { id: '{{doctorId}}' }, events: [test(expectStatus(200))] }],
  ['GET /fhir/Practitioner', { events: [test(expectStatus(200))] }],
  ['GET /fhir/CareTeam', { query: { patient: 'Patient/{{patientId}}' }, events: [test([...expectStatus(200),
    "pm.test('one participant per assigned doctor', () => pm.expect(pm.response.json().entry[0].resource.participant).to.have.lengthOf(1));"])] }],
  ['GET /fhir/Condition', { query: { patient: 'Patient/{{patientId}}' }, events: [test(expectStatus(200))] }],
  ['GET /fhir/Condition/{id}', { vars: { id: 'd{{patientId}}' }, events: [test([...expectStatus(200),
    "pm.test('the disease as a US Core Condition', () => pm.expect(pm.response.json().meta.profile[0]).to.match(/us-core-condition-problems-health-concerns$/));"])] }],
  ['GET /fhir/Organization/{id}', { vars: { id: '{{organizationId}}' }, events: [test([...expectStatus(200),
    "pm.test('a US Core Organization', () => pm.expect(pm.response.json().meta.profile[0]).to.match(/us-core-organization$/));"])] }],
  // ---- FHIR Bulk Data export: kick off, poll until the manifest, download the first file; the
  // cancel (DELETE of the status URL) runs with the clean-up. ----
  ['GET /fhir/Patient/$export', { query: { _type: 'Patient,Condition' },
    headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' }, events: [test([...expectStatus(202),
      "pm.test('the status URL', () => pm.response.to.have.header('Content-Location'));",
      '// The job id is the last segment of Content-Location.',
      ...store('exportJob', "pm.response.headers.get('Content-Location').split('/').pop()"),
      "pm.environment.set('exportPolls', 0);"])] }],
  ['POST /fhir/Patient/$export', { raw: EXPORT_PARAMETERS, headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' },
    events: [test(expectStatus(202))] }],
  ['GET /fhir/$export', { headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' }, events: [test(expectStatus(202))] }],
  ['POST /fhir/$export', { raw: EXPORT_PARAMETERS, headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' },
    events: [test(expectStatus(202))] }],
  ['GET /fhir/Group/{organizationId}/$export', { vars: { organizationId: '{{organizationId}}' },
    headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' }, events: [test(expectStatus(202))] }],
  ['POST /fhir/Group/{organizationId}/$export', { vars: { organizationId: '{{organizationId}}' }, raw: EXPORT_PARAMETERS,
    headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' }, events: [test(expectStatus(202))] }],
  ['GET /fhir/bulkstatus/{job}', { vars: { job: '{{exportJob}}' }, events: [test([
    '// 202 while the export runs: poll again (Retry-After says when), at most 60 times.',
    'if (pm.response.code === 202) {',
    "  pm.test('X-Progress while it runs', () => pm.response.to.have.header('X-Progress'));",
    "  const polls = Number(pm.environment.get('exportPolls') || 0) + 1;",
    "  pm.environment.set('exportPolls', polls);",
    '  if (polls < 60) { setTimeout(() => {}, 1000); postman.setNextRequest(pm.info.requestName); }',
    '} else {',
    ...expectStatus(200).map((l) => '  ' + l),
    "  pm.test('a manifest with files', () => pm.expect(pm.response.json().output.length).to.be.above(0));",
    "  pm.environment.set('exportFilePart', pm.response.json().output[0].url.split('/').pop());",
    '}'])] }],
  ['GET /fhir/bulkfiles/{job}/{part}', { vars: { job: '{{exportJob}}', part: '{{exportFilePart}}' },
    headers: { Accept: 'application/fhir+ndjson' }, events: [test([...expectStatus(200),
      "pm.test('NDJSON: one resource a line', () => pm.response.text().trim().split('\\n').forEach((l) => pm.expect(JSON.parse(l).resourceType).to.be.a('string')));"])] }],
  // ---- FHIR writes: create a Patient, the same again as a conditional create, update it, a coded
  // Condition, then a transaction whose Condition refers to its new Patient by urn:uuid. ----
  ['POST /fhir/Patient', { raw: FHIR_PATIENT, events: [
    prerequest(["pm.environment.set('fhirMrn', 'PM-' + Date.now());"]),
    test([...expectStatus(201),
      "pm.test('Location names the version', () => pm.expect(pm.response.headers.get('Location')).to.match(/\\/fhir\\/Patient\\/\\d+\\/_history\\/0$/));",
      "pm.test('a US Core Patient', () => pm.expect(pm.response.json().meta.profile[0]).to.match(/us-core-patient$/));",
      ...store('fhirPatientId', 'pm.response.json().id')])] }],
  ['FHIR_CONDITIONAL_CREATE', { from: 'POST /fhir/Patient', name: 'Conditional create: the same identifier answers the existing Patient',
    raw: FHIR_PATIENT, headers: { 'If-None-Exist': 'identifier=http://hospital.example.org/mrn|{{fhirMrn}}' },
    events: [test([...expectStatus(200),
      "pm.test('the same patient', () => pm.expect(pm.response.json().id).to.eql(pm.environment.get('fhirPatientId')));"])] }],
  ['PUT /fhir/Patient/{id}', { vars: { id: '{{fhirPatientId}}' }, headers: { 'If-Match': 'W/"0"' },
    raw: FHIR_PATIENT.replace('{', '{\n  "id": "{{fhirPatientId}}",').replace('"1984-03-07"', '"1984-03-08"'),
    events: [test([...expectStatus(200),
      "pm.test('version 1', () => pm.expect(pm.response.headers.get('ETag')).to.eql('W/\"1\"'));"])] }],
  ['POST /fhir/Condition', { raw: FHIR_CONDITION, events: [test([...expectStatus(201),
    ...store('fhirConditionId', 'pm.response.json().id')])] }],
  ['PUT /fhir/Condition/{cid}', { vars: { cid: '{{fhirConditionId}}' }, headers: { 'If-Match': 'W/"0"' },
    raw: FHIR_CONDITION.replace('{', '{\n  "id": "{{fhirConditionId}}",').replace('"active"', '"resolved"')
      .replace('"onsetDateTime"', '"abatementDateTime": "2024-01-15",\n  "onsetDateTime"'),
    events: [test([...expectStatus(200),
      "pm.test('resolved', () => pm.expect(pm.response.json().clinicalStatus.coding[0].code).to.eql('resolved'));"])] }],
  ['POST /fhir', { raw: FHIR_TRANSACTION, events: [
    prerequest(["pm.environment.set('fhirUuid', 'urn:uuid:' + require('uuid').v4());",
      "pm.environment.set('fhirTxMrn', 'PM-TX-' + Date.now());"]),
    test([...expectStatus(200),
      "pm.test('all or nothing: both created', () => pm.expect(pm.response.json().entry.map(e => e.response.status)).to.eql(['201 Created', '201 Created']));",
      ...store('fhirTxPatientId', "pm.response.json().entry[0].response.location.split('/')[1]")])] }],
  ['GET /api/users', { admin: true, events: [test(expectStatus(200))] }],
  ['PATCH /api/users/{id}', { admin: true, vars: { id: '{{userId}}' }, body: { role: 'user' },
    events: [test(expectStatus(200))] }],
  ['GET /api/audit', { admin: true, events: [test([...expectStatus(200),
    "pm.test('the run left audit events', () => pm.expect(pm.response.json().length).to.be.above(0));"])] }],
  ['GET /api/audit/verify', { admin: true, events: [test([...expectStatus(200),
    "pm.test('the trail verifies', () => pm.expect(pm.response.json().verified).to.eql(true));"])] }],
  ['DELETE /api/patients/{id}/conditions/{cid}', { vars: { id: '{{patientId}}', cid: '{{conditionId}}' },
    events: [test(expectStatus(204))] }],
  ['DELETE /fhir/bulkstatus/{job}', { vars: { job: '{{exportJob}}' }, events: [test([
    '// The export is done: the DELETE says its files may go; from now on its status and files are 404.',
    ...expectStatus(202)])] }],
  ['DELETE /fhir/Condition/{cid}', { vars: { cid: '{{fhirConditionId}}' }, events: [test(expectStatus(204))] }],
  ['DELETE /fhir/Patient/{id}', { vars: { id: '{{fhirPatientId}}' }, events: [test(expectStatus(204))] }],
  ['FHIR_DELETE_TX', { from: 'DELETE /fhir/Patient/{id}', name: 'Delete the Patient the transaction created', last: true,
    vars: { id: '{{fhirTxPatientId}}' },
    events: [test(expectStatus(204))] }],
  ['DELETE /api/mappings/{id}', { vars: { id: '{{mappingId}}' }, events: [test(expectStatus(204))] }],
  ['DELETE /api/patients/{id}', { vars: { id: '{{patientId}}' }, events: [test(expectStatus(204))] }],
  ['DELETE /api/patients/{id}/history', { admin: true, vars: { id: '{{patientId}}' }, events: [test([
    '// An erasure: the record (already deleted) and every revision; the audit keeps a purge event.',
    ...expectStatus(204)])] }],
  ['DELETE /api/doctors/{id}', { vars: { id: '{{doctorId}}' }, events: [test(expectStatus(204))] }],
  ['DELETE /api/organizations/{id}/clients/{clientId}', { vars: { id: '{{organizationId}}', clientId: '{{clientId}}' },
    events: [test(expectStatus(204))] }],
  ['DELETE /api/organizations/{id}/members/{userId}', { vars: { id: '{{organizationId}}', userId: '{{colleagueId}}' },
    events: [test(expectStatus(204))] }],
  ['DELETE /api/organizations/{id}', { vars: { id: '{{organizationId}}' }, events: [test([
    '// Its patient was deleted above: an organization that still holds patients cannot be deleted (409).',
    ...expectStatus(204)])] }],
  ['DELETE /api/auth/sessions/{id}', { vars: { id: '{{sessionId}}' }, events: [test(expectStatus(204))] }],
  ['POST /api/auth/logout', { last: true, events: [test([
    '// The session was ended by the request before: its token no longer works.',
    ...expectStatus(401)])] }],
];

// ---- Index the converted requests by method and OpenAPI path. ----
const byKey = new Map();
const tagOf = new Map();
for (const folder of converted.item) {
  for (const item of folder.item) {
    const path = '/' + item.request.url.path.map((p) => (p.startsWith(':') ? `{${p.slice(1)}}` : p)).join('/');
    const key = `${item.request.method} ${path}`;
    byKey.set(key, item);
    tagOf.set(key, folder.name);
  }
}
// An operation the plan does not know yet still goes into the collection (after the planned ones
// of its folder, without checks); a planned one the document no longer has is left out.
const plannedKeys = new Set(PLAN.map(([key, plan]) => plan.from || key));
for (const key of byKey.keys()) {
  if (!plannedKeys.has(key)) {
    console.warn(`warning: ${key} is not in the plan of generate.mjs; added without checks`);
    PLAN.push([key, { admin: tagOf.get(key) === 'Users' }]);
  }
}
for (const [key] of PLAN.filter(([k, p]) => !byKey.has(p.from || k))) {
  console.warn(`warning: ${key} is planned but no longer documented; left out`);
}
// An entry with `from` is a further request of that operation (named `name`), in the folder of `folder`'s operation.
const RUN = PLAN.filter(([key, plan]) => byKey.has(plan.from || key));

/** A body from the schema examples of the operation's request body, then the overrides. */
function exampleBody(key, overrides) {
  const [method, path] = key.split(' ');
  const content = spec.paths[path][method.toLowerCase()].requestBody?.content || {};
  const media = content['application/json'] || Object.values(content)[0];
  let schema = media?.schema || {};
  if (schema.$ref) {
    schema = spec.components.schemas[schema.$ref.split('/').pop()];
  }
  const body = {};
  for (const [name, property] of Object.entries(schema.properties || {})) {
    if (Array.isArray(property.examples) && property.examples.length) {
      body[name] = property.examples[0];
    }
  }
  return overrides ? (method === 'POST' ? { ...body, ...overrides } : overrides) : body;
}

/** Body values like "{{patientId}}" become bare Postman variables (numbers stay numbers). */
function rawJson(body) {
  return JSON.stringify(body, null, 2).replace(/"(\{\{(?:patientId|doctorId|organizationId)\}\})"/g, '$1');
}

function adjust(key, plan) {
  const item = structuredClone(byKey.get(plan.from || key));
  const request = item.request;
  if (plan.name) {
    item.name = plan.name;
    request.name = plan.name;
  }
  for (const variable of request.url.variable || []) {
    variable.value = plan.vars?.[variable.key] ?? variable.value;
  }
  // Optional query parameters stay in the request for reference, switched off.
  for (const query of request.url.query || []) {
    query.disabled = plan.query?.[query.key] === undefined;
    query.value = plan.query?.[query.key] ?? query.value;
  }
  for (const header of request.header || []) {
    if (plan.headers?.[header.key] !== undefined) {
      header.value = plan.headers[header.key];
      header.disabled = false;
    } else if (['If-Match', 'If-None-Exist', 'Prefer'].includes(header.key)) {
      header.disabled = true;
    } else if (header.key === 'Accept') {
      // For a 204 operation the converter derives Accept from the error responses alone
      // (application/problem+json), which the service answers with 406; ask for JSON, as for the rest.
      header.value = 'application/json';
    }
  }
  // Headers the plan sets that the document does not list (Accept, where the converter derived none).
  for (const [name, value] of Object.entries(plan.headers || {})) {
    if (!(request.header || []).some((header) => header.key === name)) {
      request.header = [...(request.header || []), { key: name, value }];
    }
  }
  if (request.body?.mode === 'raw') {
    request.body.raw = plan.raw ?? rawJson(exampleBody(plan.from || key, plan.body));
  } else if (request.body?.mode === 'urlencoded' && plan.form) {
    request.body.urlencoded = Object.entries(plan.form).map(([k, value]) => ({ key: k, value, type: 'text' }));
  }
  if (plan.admin) {
    request.auth = { type: 'bearer', bearer: [{ key: 'token', value: '{{adminToken}}', type: 'string' }] };
  } else if (plan.as === 'colleague') {
    request.auth = { type: 'bearer', bearer: [{ key: 'token', value: '{{colleagueToken}}', type: 'string' }] };
  }
  item.event = plan.events || [];
  // Saved examples: the success ones only (every error example is the same problem document).
  item.response = (item.response || []).filter((example) => example.code < 400);
  for (const header of item.response.flatMap((example) => example.header || [])) {
    if (header.key === 'X-Total-Count') {
      header.value = '1'; // the converter's faker ignores the seed for headers
    }
  }
  return item;
}

const loginKey = 'POST /api/auth/login';
function adminLogin() {
  const item = structuredClone(byKey.get(loginKey));
  item.name = 'Log in as the admin';
  item.request.name = item.name;
  item.request.description = {
    content: 'The first admin comes from HEALTHCARE_ADMIN_EMAIL / HEALTHCARE_ADMIN_PASSWORD; set adminEmail and'
      + ' adminPassword in the environment. Stores adminToken for the Users requests.',
    type: 'text/plain',
  };
  item.request.body.raw = rawJson({ email: '{{adminEmail}}', password: '{{adminPassword}}' });
  item.event = [test([...expectStatus(200), ...store('adminToken', 'pm.response.json().token')])];
  item.response = (item.response || []).filter((example) => example.code < 400);
  return item;
}

// ---- Folders in run order (a folder per tag, first use decides its place). ----
const folders = [];
// Deletes and the logout end things: they run last (see below).
const runsLast = ([key, plan]) => key.startsWith('DELETE ') || plan.last;
for (const [key, plan] of RUN) {
  if (runsLast([key, plan])) {
    continue;
  }
  const tag = tagOf.get(plan.folder || plan.from || key);
  let folder = folders.find((f) => f.name === tag);
  if (!folder) {
    const source = converted.item.find((f) => f.name === tag);
    folder = { name: tag, description: source.description, item: [] };
    if (tag === 'Users') {
      folder.item.push(adminLogin());
    }
    folders.push(folder);
  }
  folder.item.push(adjust(key, plan));
}
// The deletes run last, in a folder of their own, in plan order (mapping, patient, doctor, the
// session), then the logout, which finds the session already ended.
const cleanup = { name: 'Clean up', description: 'Deletes what the run created and ends the session.', item: [] };
for (const [key, plan] of RUN) {
  if (runsLast([key, plan])) {
    cleanup.item.push(adjust(key, plan));
  }
}
folders.push(cleanup);

/** Drop generator-made random ids so that regenerating gives the same file. */
function stripIds(node) {
  if (Array.isArray(node)) {
    node.forEach(stripIds);
  } else if (node && typeof node === 'object') {
    delete node.id;
    Object.values(node).forEach(stripIds);
  }
  return node;
}

const collection = stripIds({
  info: {
    ...converted.info,
    _postman_id: 'b3f1c1d2-6d0e-4f5a-9a7c-0e1a2b3c4d5e',
    description: {
      content: `${converted.info.description?.content || ''}\n\nGenerated from /q/openapi by postman/generate.mjs`
        + ' (openapi-to-postmanv2); do not edit by hand. Run the folders in order: "Log in" stores the token'
        + ' in {{bearerToken}}.',
      type: 'text/plain',
    },
  },
  item: folders,
  variable: [{ key: 'baseUrl', value: 'http://localhost:8080', type: 'string' }],
});

writeFileSync(OUTPUT, JSON.stringify(collection, null, 2) + '\n');
console.log(`wrote ${OUTPUT}: ${folders.length} folders, ${folders.reduce((n, f) => n + f.item.length, 0)} requests`);
