package org.acme.healthcare.export;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.export.ExportSupport.FHIR_JSON;
import static org.acme.healthcare.export.ExportSupport.accepted;
import static org.acme.healthcare.export.ExportSupport.client;
import static org.acme.healthcare.export.ExportSupport.download;
import static org.acme.healthcare.export.ExportSupport.kickOff;
import static org.acme.healthcare.export.ExportSupport.manifest;
import static org.acme.healthcare.export.ExportSupport.patients;
import static org.acme.healthcare.export.ExportSupport.resources;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.body;
import static org.acme.healthcare.support.Api.createDoctor;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.acme.healthcare.condition.Codes;
import org.acme.healthcare.fhir.UsCoreValidator;
import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.OrgRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * FHIR Bulk Data export (contract part 2), refusals first: the kick-off's headers and each
 * parameter, strict and lenient; who may see a job; expired, cancelled and finished jobs. Then
 * the flow at each level, end to end: kick-off, poll, manifest, download, every NDJSON line a
 * valid US Core resource; the audit event; and an export of more patients than a page holds.
 */
@QuarkusTest
class ExportTest {
    static final String[] LEVELS = { "/fhir/$export", "/fhir/Patient/$export" };

    @Inject
    AgroalDataSource db;

    /** An OperationOutcome error with this status, valid, with nothing internal in it. */
    static JsonPath outcome(Response response, int status) {
        return outcome(response, status, FHIR_JSON);
    }

    /** An error OperationOutcome with this status, named {@code contentType} (FHIR JSON under either of its names). */
    static JsonPath outcome(Response response, int status, String contentType) {
        String body = response.then().statusCode(status).contentType(startsWith(contentType))
                .body(not(containsString("Exception"))).body(not(containsString("org.acme"))).extract().asString();
        UsCoreValidator.assertValid(body);
        JsonPath json = JsonPath.from(body);
        assertEquals("OperationOutcome", json.getString("resourceType"));
        assertEquals("error", json.getString("issue[0].severity"));
        return json;
    }

    private static long jobs(AgroalDataSource db, TestUser user) {
        return ((Number) OrgRows.single(db, "select count(*) from export_jobs where user_id = ?", user.id())).longValue();
    }

    // --- the kick-off's headers -----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = { "/fhir/$export", "/fhir/Patient/$export", "/fhir/Group/{org}/$export" })
    void kickOffWithoutPreferRespondAsyncIs400(String path) {
        TestUser user = newUser();
        String url = path.replace("{org}", String.valueOf(org(user)));
        var base = given().header("Authorization", "Bearer " + user.token()).accept(FHIR_JSON);
        assertTrue(outcome(base.get(url), 400).getString("issue[0].diagnostics").contains("Prefer"));
        outcome(given().header("Authorization", "Bearer " + user.token()).accept(FHIR_JSON).header("Prefer", "handling=lenient")
                .get(url), 400);
        outcome(given().header("Authorization", "Bearer " + user.token()).accept(FHIR_JSON).contentType(FHIR_JSON)
                .body("{\"resourceType\":\"Parameters\"}").post(url), 400);
        assertEquals(0, jobs(db, user));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/fhir/$export", "/fhir/Patient/$export", "/fhir/Group/{org}/$export" })
    void kickOffWithoutAcceptFhirJsonIs400(String path) {
        TestUser user = newUser();
        String url = path.replace("{org}", String.valueOf(org(user)));
        for (String accept : List.of("*/*", "application/json")) {
            // The OperationOutcome comes under the JSON name asked for: application/json when only that is named.
            String named = accept.equals("*/*") ? FHIR_JSON : accept;
            var request = given().header("Authorization", "Bearer " + user.token()).header("Prefer", "respond-async").accept(accept);
            assertTrue(outcome(request.get(url), 400, named).getString("issue[0].diagnostics").contains("Accept"));
            outcome(given().header("Authorization", "Bearer " + user.token()).header("Prefer", "respond-async").accept(accept)
                    .contentType(FHIR_JSON).body("{\"resourceType\":\"Parameters\"}").post(url), 400, named);
        }
        // A type it does not produce at all: 406, an OperationOutcome too.
        outcome(given().header("Authorization", "Bearer " + user.token()).header("Prefer", "respond-async")
                .accept("application/xml").get(url), 406);
        assertEquals(0, jobs(db, user));
    }

    @Test
    void kickOffWithoutTokenIs401() {
        for (String path : LEVELS) {
            outcome(given().accept(FHIR_JSON).header("Prefer", "respond-async").get(path), 401);
        }
    }

    // --- the kick-off's parameters --------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = { "application/xml", "text/html", "x-custom", "application/fhir+json" })
    void unsupportedOutputFormatIs400(String format) {
        TestUser user = newUser();
        for (String path : LEVELS) {
            assertTrue(outcome(client(user).queryParam("_outputFormat", format).get(path), 400)
                    .getString("issue[0].diagnostics").startsWith("_outputFormat"));
        }
        assertEquals(0, jobs(db, user));
    }

    @ParameterizedTest
    @ValueSource(strings = { "0000-60-01T30:70:80+05:00", "yesterday", "2024-13-01T00:00:00Z", "2024-01-01T00:00:00" })
    void invalidSinceIs400(String since) {
        TestUser user = newUser();
        for (String path : LEVELS) {
            outcome(client(user).queryParam("_since", since).get(path), 400);
        }
        assertEquals(0, jobs(db, user));
    }

    @Test
    void sinceInTheFutureIs400() {
        TestUser user = newUser();
        String future = Instant.now().plus(1, ChronoUnit.DAYS).toString();
        outcome(client(user).queryParam("_since", future).get("/fhir/Patient/$export"), 400);
        outcome(client(user).contentType(FHIR_JSON).body("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"_since\","
                + "\"valueInstant\":\"2057-01-01T00:00:00+05:00\"}]}").post("/fhir/$export"), 400);
        assertEquals(0, jobs(db, user));
    }

    @Test
    void unknownOrUnexportedTypeIs400AndIgnoredWhenLenient() {
        TestUser user = newUser();
        for (String path : LEVELS) {
            outcome(client(user).queryParam("_type", "MissingType").get(path), 400);
            outcome(client(user).queryParam("_type", "Patient,Observation").get(path), 400);
        }
        // Practitioners are a system export's only.
        outcome(client(user).queryParam("_type", "Practitioner").get("/fhir/Patient/$export"), 400);
        outcome(client(user).contentType(FHIR_JSON).body("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"_type\","
                + "\"valueString\":\"MissingType\"}]}").post("/fhir/Patient/$export"), 400);
        assertEquals(0, jobs(db, user));

        createPatient(user, "Lenient Type");
        String status = accepted(client(user).header("Prefer", "respond-async, handling=lenient")
                .queryParam("_type", "Patient,Observation").get("/fhir/Patient/$export"));
        JsonPath manifest = manifest(user, status);
        assertEquals(List.of("Patient"), manifest.getList("output.type"));
        assertTrue(errors(user, manifest).contains("_type"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "_typeFilter", "includeAssociatedData", "_somethingElse" })
    void unsupportedParameterIs400StrictAndIgnoredAndReportedWhenLenient(String parameter) {
        TestUser user = newUser();
        String value = parameter.equals("_typeFilter") ? "Patient?gender=male" : "LatestProvenanceResources";
        for (String path : LEVELS) {
            outcome(client(user).queryParam(parameter, value).get(path), 400);
            outcome(client(user).contentType(FHIR_JSON).body("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\""
                    + parameter + "\",\"valueString\":\"" + value + "\"}]}").post(path), 400);
        }
        assertEquals(0, jobs(db, user));

        createPatient(user, "Lenient");
        Response lenient = client(user).header("Prefer", "respond-async, handling=lenient").queryParam(parameter, value)
                .get("/fhir/Patient/$export");
        String status = accepted(lenient);
        assertEquals("warning", lenient.jsonPath().getString("issue[1].severity"));
        JsonPath manifest = manifest(user, status);
        assertEquals(List.of("Patient", "Condition").subList(0, 1), manifest.getList("output.type"));
        String errors = errors(user, manifest);
        // The parameters the spec names are named; one it does not know is not echoed.
        assertTrue(parameter.startsWith("_some") ? errors.contains("does not know") && !errors.contains(parameter)
                : errors.contains(parameter), errors);
    }

    /** The manifest's error files: OperationOutcomes, all of them, as one string. */
    private static String errors(TestUser user, JsonPath manifest) {
        List<Map<String, Object>> files = manifest.getList("error");
        assertFalse(files.isEmpty());
        StringBuilder all = new StringBuilder();
        for (Map<String, Object> file : files) {
            assertEquals("OperationOutcome", file.get("type"));
            for (String line : download(user, (String) file.get("url")).split("\n")) {
                UsCoreValidator.assertValid(line);
                all.append(line);
            }
        }
        return all.toString();
    }

    @Test
    void patientParameterAtSystemLevelOrMalformedIs400() {
        TestUser user = newUser();
        outcome(client(user).contentType(FHIR_JSON).body("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"patient\","
                + "\"valueReference\":{\"reference\":\"Patient/123\"}}]}").post("/fhir/$export"), 400);
        outcome(client(user).queryParam("patient", "Observation/1").get("/fhir/Patient/$export"), 400);
        outcome(client(user).contentType(FHIR_JSON).body("{\"resourceType\":\"Patient\"}").post("/fhir/Patient/$export"), 400);
        outcome(client(user).contentType(FHIR_JSON).body("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"_type\"}]}")
                .post("/fhir/Patient/$export"), 400);
        outcome(client(user).contentType(FHIR_JSON).body("not json").post("/fhir/Patient/$export"), 400);
        outcome(client(user).queryParam("_since", "2024-01-01T00:00:00Z").queryParam("_since", "2024-01-02T00:00:00Z")
                .get("/fhir/Patient/$export"), 400);
        outcome(client(user).queryParam("_elements", "name.family").get("/fhir/Patient/$export"), 400);
        assertEquals(0, jobs(db, user));
    }

    // --- who may see a job ----------------------------------------------------------------------

    @Test
    void groupOfAnOrganizationYouAreNotInIsNotFound() {
        TestUser admin = newUser();
        long org = org(admin);
        TestUser outsider = newUser();
        outcome(client(outsider).get("/fhir/Group/" + org + "/$export"), 404);
        outcome(client(outsider).get("/fhir/Group/987654321987/$export"), 404);
        outcome(client(outsider).get("/fhir/Group/abc/$export"), 400);
        assertEquals(0, jobs(db, outsider));
    }

    @Test
    void anotherUsersJobIsNotFoundToPollDownloadOrCancel() {
        TestUser owner = newUser();
        createPatient(owner, "Mine Only");
        String status = kickOff(owner, "/fhir/Patient/$export");
        JsonPath manifest = manifest(owner, status);
        String file = manifest.getString("output[0].url");
        TestUser other = newUser();
        outcome(given().header("Authorization", "Bearer " + other.token()).get(status), 404);
        outcome(given().header("Authorization", "Bearer " + other.token()).accept("application/fhir+ndjson").get(file), 404);
        outcome(given().header("Authorization", "Bearer " + other.token()).delete(status), 404);
        // Without a token: 401; the owner still has it all.
        outcome(given().get(status), 401);
        outcome(given().accept("application/fhir+ndjson").get(file), 401);
        manifest(owner, status);
        download(owner, file);
        // Not a job at all.
        outcome(given().header("Authorization", "Bearer " + owner.token()).get("/fhir/bulkstatus/9223372036854775807"), 404);
        outcome(given().header("Authorization", "Bearer " + owner.token()).get("/fhir/bulkstatus/not-a-job"), 400);
        outcome(given().header("Authorization", "Bearer " + owner.token()).get(file.substring(0, file.lastIndexOf('/')) + "/7"), 404);
        outcome(given().header("Authorization", "Bearer " + owner.token()).get(file.substring(0, file.lastIndexOf('/')) + "/x"), 400);
    }

    @Test
    void expiredJobIsNotFoundAtOnceAndItsRowsAreDeleted() {
        TestUser owner = newUser();
        createPatient(owner, "Soon Gone");
        String status = kickOff(owner, "/fhir/Patient/$export");
        String file = manifest(owner, status).getString("output[0].url");
        OrgRows.update(db, "update export_jobs set expires_at = now() - interval '1 second' where id = ?", ExportSupport.job(status));
        outcome(given().header("Authorization", "Bearer " + owner.token()).get(status), 404);
        outcome(given().header("Authorization", "Bearer " + owner.token()).accept("application/fhir+ndjson").get(file), 404);
        outcome(given().header("Authorization", "Bearer " + owner.token()).delete(status), 404);
        // The clean-up (every poll interval, on any replica) deletes the job and its files.
        long deadline = System.currentTimeMillis() + 10_000;
        while (jobs(db, owner) > 0 && System.currentTimeMillis() < deadline) {
            sleep(100);
        }
        assertEquals(0, jobs(db, owner));
        assertEquals(0L, ((Number) OrgRows.single(db, "select count(*) from export_chunks where job_id = ?",
                ExportSupport.job(status))).longValue());
    }

    @Test
    void cancelOfAFinishedJobDeletesItsFilesAndThenIsNotFound() {
        TestUser owner = newUser();
        createPatient(owner, "Done Already");
        String status = kickOff(owner, "/fhir/Patient/$export");
        String file = manifest(owner, status).getString("output[0].url");
        download(owner, file);
        given().header("Authorization", "Bearer " + owner.token()).delete(status).then().statusCode(202)
                .contentType(startsWith(FHIR_JSON));
        outcome(given().header("Authorization", "Bearer " + owner.token()).get(status), 404);
        outcome(given().header("Authorization", "Bearer " + owner.token()).accept("application/fhir+ndjson").get(file), 404);
        outcome(given().header("Authorization", "Bearer " + owner.token()).delete(status), 404);
    }

    // --- the flow -------------------------------------------------------------------------------

    @Test
    void patientExportEndToEndHoldsWhatTheCallerMayReadAsValidUsCore() {
        TestUser owner = newUser();
        long jane = as(owner).body(body("name", "Jane Export", "gender", "F", "disease", "Hypertension",
                "birthDate", "1984-03-07")).post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
        long john = createPatient(owner, "John Export");
        as(owner).body(Map.of("code", Map.of("system", Codes.SNOMED, "code", "44054006", "display", "Diabetes mellitus type 2")))
                .post("/api/patients/" + john + "/conditions").then().statusCode(201);
        long others = createPatient(newUser(), "Not Yours");

        Instant before = Instant.now();
        Response kick = client(owner).get("/fhir/Patient/$export");
        String status = accepted(kick);
        JsonPath manifest = manifest(owner, status);
        Instant transaction = Instant.parse(manifest.getString("transactionTime"));
        assertFalse(transaction.isBefore(before.minusSeconds(5)));
        assertEquals("/fhir/Patient/$export", manifest.getString("request"));
        assertTrue(manifest.getBoolean("requiresAccessToken"));
        assertEquals(List.of("Patient", "Condition"), manifest.getList("output.type"));
        assertEquals(List.of(), manifest.getList("error"));

        List<JsonPath> patients = resources(owner, manifest, "Patient", true);
        assertEquals(Set.of(String.valueOf(jane), String.valueOf(john)), ids(patients));
        assertFalse(ids(patients).contains(String.valueOf(others)));
        List<JsonPath> conditions = resources(owner, manifest, "Condition", true);
        assertEquals(2, conditions.size());
        assertTrue(ids(conditions).contains("d" + jane));
        assertEquals("Patient/" + john, conditions.get(1).getString("subject.reference"));
    }

    @Test
    void systemExportAddsThePractitionersAndGroupExportHoldsTheOrganizationsPatientsOnly() {
        TestUser admin = newUser();
        long org = org(admin);
        long member = as(admin).body(body("name", "Org Patient", "organizationId", org)).post("/api/patients")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long personal = createPatient(admin, "Personal Patient");
        long doctor = createDoctor(admin, "Dr Export " + org, "Cardiology");

        JsonPath system = manifest(admin, kickOff(admin, "/fhir/$export"));
        assertEquals(List.of("Patient", "Practitioner"), system.getList("output.type").stream().distinct().toList());
        assertEquals(Set.of(String.valueOf(member), String.valueOf(personal)), ids(resources(admin, system, "Patient", true)));
        assertTrue(ids(resources(admin, system, "Practitioner", true)).contains(String.valueOf(doctor)));

        JsonPath group = manifest(admin, kickOff(admin, "/fhir/Group/" + org + "/$export"));
        assertEquals(Set.of(String.valueOf(member)), ids(resources(admin, group, "Patient", true)));
        assertEquals("/fhir/Group/" + org + "/$export", group.getString("request"));
    }

    @Test
    void postWithParametersExportsTheNamedPatientsOfTheTypesAsked() {
        TestUser owner = newUser();
        long a = createPatient(owner, "Asked For");
        createPatient(owner, "Not Asked For");
        long stranger = createPatient(newUser(), "Stranger");
        String status = accepted(client(owner).contentType("application/json").body("{\"resourceType\":\"Parameters\","
                + "\"parameter\":[{\"name\":\"patient\",\"valueReference\":{\"reference\":\"Patient/" + a + "\"}},"
                + "{\"name\":\"patient\",\"valueReference\":{\"reference\":\"Patient/" + stranger + "\"}},"
                + "{\"name\":\"_type\",\"valueString\":\"Patient\"},{\"name\":\"_outputFormat\",\"valueString\":\"ndjson\"}]}")
                .post("/fhir/Patient/$export"));
        JsonPath manifest = manifest(owner, status);
        // Another user's patient named in the request is simply not there: a patient one may not read does not exist.
        assertEquals(Set.of(String.valueOf(a)), ids(resources(owner, manifest, "Patient", true)));
        assertEquals("/fhir/Patient/$export", manifest.getString("request"));
    }

    @Test
    void sinceAndElementsNarrowTheExport() {
        TestUser owner = newUser();
        long old = createPatient(owner, "Old Record");
        OrgRows.update(db, "update patients set updated_at = now() - interval '2 days' where id = ?", old);
        long fresh = createPatient(owner, "Fresh Record");
        String since = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        JsonPath manifest = manifest(owner, accepted(client(owner).queryParam("_since", since).queryParam("_type", "Patient")
                .queryParam("_elements", "Patient.gender,birthDate").get("/fhir/Patient/$export")));
        List<JsonPath> patients = resources(owner, manifest, "Patient", false);
        assertEquals(Set.of(String.valueOf(fresh)), ids(patients));
        Map<String, Object> resource = patients.get(0).getMap("$");
        assertEquals(Set.of("resourceType", "id", "meta", "gender"), resource.keySet());
        assertEquals("SUBSETTED", patients.get(0).getString("meta.tag[0].code"));
        assertEquals(null, (Object) patients.get(0).get("meta.profile"));
        UsCoreValidator.assertValid(patients.get(0).prettify());
    }

    @Test
    void oneAuditEventPerExportWithThePatientsItHeld() {
        TestUser owner = newUser();
        List<Long> ids = patients(db, owner, 7);
        String status = kickOff(owner, "/fhir/Patient/$export?_type=Condition");
        manifest(owner, status);
        ExportSupport.ExportAudit event = ExportSupport.audit(db, ExportSupport.job(status));
        assertEquals(owner.id(), event.actorId());
        assertEquals("export", event.via());
        assertEquals("list", event.action());
        // Conditions only: the patients with a disease text (every second one) are the ones whose data it held.
        // Their ids are in the event's parts (V19), counted in the event, none in its row.
        List<Long> held = event.held();
        assertEquals(null, event.recordIds());
        assertEquals(held.size(), event.recordCount());
        List<Long> withDisease = new ArrayList<>();
        for (int i = 1; i < ids.size(); i += 2) {
            withDisease.add(ids.get(i));
        }
        assertEquals(withDisease, held);
        // The patient's access report lists it as an export.
        as(owner).get("/api/patients/" + ids.get(1) + "/access-report").then().statusCode(200)
                .body("via", org.hamcrest.Matchers.hasItem("export"));
    }

    @Test
    void moreThanAPageOfPatientsEachExactlyOnceOverSeveralFiles() {
        TestUser owner = newUser();
        // page-size 50 and file-size 120 in tests: 260 patients are six pages and three Patient files.
        List<Long> ids = patients(db, owner, 260);
        JsonPath manifest = manifest(owner, kickOff(owner, "/fhir/Patient/$export"));
        List<Map<String, Object>> files = manifest.getList("output");
        assertEquals(3, files.stream().filter(f -> f.get("type").equals("Patient")).count());
        List<String> exported = resources(owner, manifest, "Patient", false).stream().map(p -> p.getString("id")).toList();
        assertEquals(ids.size(), exported.size());
        assertEquals(ids.stream().map(String::valueOf).toList(), exported);
        assertEquals(130, resources(owner, manifest, "Condition", false).size());
    }

    private static Set<String> ids(List<JsonPath> resources) {
        Set<String> ids = new HashSet<>();
        for (JsonPath r : resources) {
            assertTrue(ids.add(r.getString("id")), "twice: " + r.getString("id"));
        }
        return ids;
    }

    private long org(TestUser admin) {
        return OrgRows.create(db, "Export Clinic", admin.id());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
