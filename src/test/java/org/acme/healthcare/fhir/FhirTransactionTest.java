package org.acme.healthcare.fhir;

import static org.acme.healthcare.fhir.FhirWriteTest.MRN;
import static org.acme.healthcare.fhir.FhirWriteTest.condition;
import static org.acme.healthcare.fhir.FhirWriteTest.createPatient;
import static org.acme.healthcare.fhir.FhirWriteTest.expressions;
import static org.acme.healthcare.fhir.FhirWriteTest.fhir;
import static org.acme.healthcare.fhir.FhirWriteTest.mrn;
import static org.acme.healthcare.fhir.FhirWriteTest.outcome;
import static org.acme.healthcare.fhir.FhirWriteTest.patient;
import static org.acme.healthcare.fhir.FhirWriteTest.resource;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * {@code POST /fhir}: transaction Bundles all or nothing (a failing entry rolls back every row
 * and is named in the outcome), urn:uuid references, conditional creates, FHIR's processing
 * order, batch Bundles entry by entry, the entry limit, and the race of one conditional create
 * sent many times at once (one patient, never two, never a 500).
 */
@QuarkusTest
class FhirTransactionTest {
    @Inject
    AgroalDataSource db;

    static String entry(String fullUrl, String resource, String method, String url, String extraRequest) {
        return "{" + (fullUrl == null ? "" : "\"fullUrl\":\"" + fullUrl + "\",") + (resource == null ? "" : "\"resource\":" + resource + ",")
                + "\"request\":{\"method\":\"" + method + "\",\"url\":\"" + url + "\"" + (extraRequest == null ? "" : "," + extraRequest) + "}}";
    }

    static String bundle(String type, List<String> entries) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[" + String.join(",", entries) + "]}";
    }

    static String urn() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    long count(String sql, Object... params) {
        try (var c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long rowsOf(TestUser user) {
        return count("select count(*) from patients where owner_id = ?", user.id())
                + count("select count(*) from conditions c join patients p on p.id = c.patient_id where p.owner_id = ?", user.id())
                + count("select count(*) from patients_history where owner_id = ?", user.id())
                + count("select count(*) from audit_events where actor_id = ? and action in ('create', 'update', 'delete')"
                        + " and outcome = 'success'", user.id());
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void moreThanAThousandEntriesIs413AndOtherBundleTypesAre422() {
        TestUser user = newUser();
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            entries.add(entry(null, null, "GET", "Patient/1", null));
        }
        outcome(fhir(user).body(bundle("transaction", entries)).post("/fhir"), 413);
        assertEquals(List.of("Bundle.type"), expressions(outcome(fhir(user).body(bundle("collection", List.of())).post("/fhir"), 422)));
        outcome(fhir(user).body(patient(mrn(), null)).post("/fhir"), 400);
        outcome(fhir(user).body("[]").post("/fhir"), 400);
    }

    @Test
    void entriesThisServerCannotDoAre400NamingTheEntry() {
        TestUser user = newUser();
        String p = patient(mrn(), null);
        assertEquals(List.of("Bundle.entry[1].request.url"), expressions(outcome(fhir(user).body(bundle("transaction", List.of(
                entry(urn(), p, "POST", "Patient", null), entry(null, p, "POST", "Observation", null)))).post("/fhir"), 400)));
        assertEquals(List.of("Bundle.entry[0].resource"), expressions(outcome(fhir(user).body(bundle("transaction", List.of(
                entry(null, p, "POST", "Condition", null)))).post("/fhir"), 400)));
        assertEquals(List.of("Bundle.entry[0].request.url"), expressions(outcome(fhir(user).body(bundle("transaction", List.of(
                entry(null, p, "PUT", "Patient?identifier=x|y", null)))).post("/fhir"), 400)));
        assertEquals(List.of("Bundle.entry[1].request.url"), expressions(outcome(fhir(user).body(bundle("transaction", List.of(
                entry(null, null, "DELETE", "Patient/5", null), entry(null, null, "DELETE", "Patient/5", null)))).post("/fhir"), 400)));
        assertEquals(0, rowsOf(user));
    }

    @Test
    void aFailingEntryRollsTheWholeTransactionBackAndIsNamed() {
        TestUser user = newUser();
        TestUser other = newUser();
        long existing = createPatient(user, patient(mrn(), null));
        long before = rowsOf(user);
        String a = urn();
        String bad = patient(mrn(), null).replace("\"system\":\"" + MRN + "\",", "");
        JsonPath o = outcome(fhir(user).body(bundle("transaction", List.of(
                entry(a, patient(mrn(), null), "POST", "Patient", null),
                entry(null, condition(a, null), "POST", "Condition", null),
                entry(null, condition("Patient/" + existing, null), "POST", "Condition", null),
                entry(urn(), bad, "POST", "Patient", null)))).post("/fhir"), 422);
        assertEquals(List.of("Bundle.entry[3].resource.identifier[0].system"), expressions(o));
        assertEquals(before, rowsOf(user), "no patient, condition, history or audit row is left");
        // Another user's patient: 404, all rolled back.
        long hers = createPatient(other, patient(mrn(), null));
        JsonPath notFound = outcome(fhir(user).body(bundle("transaction", List.of(
                entry(a, patient(mrn(), null), "POST", "Patient", null),
                entry(null, condition("Patient/" + hers, null), "POST", "Condition", null)))).post("/fhir"), 404);
        assertEquals(List.of("Bundle.entry[1]"), expressions(notFound));
        assertEquals(before, rowsOf(user));
        // A stale ifMatch: 412, the other entries' changes undone.
        String mrn = mrn();
        long mine = createPatient(user, patient(mrn, null));
        long rows = rowsOf(user);
        JsonPath stale = outcome(fhir(user).body(bundle("transaction", List.of(
                entry(null, condition("Patient/" + mine, null), "POST", "Condition", null),
                entry(null, patient(mrn, "\"id\":\"" + mine + "\""), "PUT", "Patient/" + mine, "\"ifMatch\":\"W/\\\"7\\\"\"")))).post("/fhir"), 412);
        assertEquals(List.of("Bundle.entry[1]"), expressions(stale));
        assertEquals(rows, rowsOf(user));
        // A duplicate identifier inside one bundle: 409.
        String dup = mrn();
        outcome(fhir(user).body(bundle("transaction", List.of(entry(urn(), patient(dup, null), "POST", "Patient", null),
                entry(urn(), patient(dup, null), "POST", "Patient", null)))).post("/fhir"), 409);
        assertEquals(rows, rowsOf(user));
    }

    @Test
    void urnUuidReferencesResolveToThePatientsCreatedInTheBundle() {
        TestUser user = newUser();
        String a = urn();
        String b = urn();
        String mrnA = mrn();
        // The condition comes first in the bundle: FHIR's order creates patients before what refers to them.
        String body = bundle("transaction", List.of(
                entry(null, condition(a, null), "POST", "Condition", null),
                entry(a, patient(mrnA, null), "POST", "Patient", null),
                entry(b, patient(mrn(), null), "POST", "Patient", null),
                entry(null, condition(b, null).replace("44054006", "38341003"), "POST", "Condition", null)));
        String response = fhir(user).body(body).post("/fhir").then().statusCode(200).extract().asString();
        UsCoreValidator.assertValid(response);
        JsonPath r = JsonPath.from(response);
        assertEquals("transaction-response", r.getString("type"));
        assertEquals(List.of("201 Created", "201 Created", "201 Created", "201 Created"), r.getList("entry.response.status"));
        String location = r.getString("entry[1].response.location");
        assertTrue(location.matches("Patient/\\d+/_history/0"), location);
        assertEquals("W/\"0\"", r.getString("entry[1].response.etag"));
        long patientA = Long.parseLong(location.split("/")[1]);
        long patientB = Long.parseLong(r.getString("entry[2].response.location").split("/")[1]);
        JsonPath conditionsA = as(user).get("/api/patients/" + patientA + "/conditions").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("44054006"), conditionsA.getList("code.code"));
        assertEquals(List.of("38341003"), as(user).get("/api/patients/" + patientB + "/conditions").then().statusCode(200)
                .extract().jsonPath().getList("code.code"));
        assertTrue(r.getString("entry[0].response.location").startsWith("Condition/" + conditionsA.getLong("[0].id") + "/_history/"));
        // Prefer: return=representation puts the resources in.
        JsonPath withResources = JsonPath.from(fhir(user).header("Prefer", "return=representation").body(bundle("transaction", List.of(
                entry(urn(), patient(mrn(), null), "POST", "Patient", null)))).post("/fhir").then().statusCode(200).extract().asString());
        assertEquals("Patient", withResources.getString("entry[0].resource.resourceType"));
        // A reference to no entry's fullUrl.
        assertEquals(List.of("Bundle.entry[0].resource.subject"), expressions(outcome(fhir(user).body(bundle("transaction", List.of(
                entry(null, condition(urn(), null), "POST", "Condition", null)))).post("/fhir"), 422)));
    }

    @Test
    void ifNoneExistAndFhirsOrderDeleteBeforePostAreHonoured() {
        TestUser user = newUser();
        String mrn = mrn();
        long existing = createPatient(user, patient(mrn, null));
        String a = urn();
        String ifNoneExist = "\"ifNoneExist\":\"identifier=" + MRN + "|" + mrn + "\"";
        JsonPath r = JsonPath.from(fhir(user).body(bundle("transaction", List.of(
                entry(a, patient(mrn, null), "POST", "Patient", ifNoneExist),
                entry(null, condition(a, null), "POST", "Condition", null)))).post("/fhir").then().statusCode(200).extract().asString());
        assertEquals(List.of("200 OK", "201 Created"), r.getList("entry.response.status"));
        assertEquals("Patient/" + existing + "/_history/0", r.getString("entry[0].response.location"));
        assertEquals(1, as(user).get("/api/patients/" + existing + "/conditions").then().extract().jsonPath().getList("").size());
        // DELETE runs before POST, wherever it stands: the conditional create then finds nothing and creates.
        JsonPath again = JsonPath.from(fhir(user).body(bundle("transaction", List.of(
                entry(urn(), patient(mrn, null), "POST", "Patient", ifNoneExist),
                entry(null, null, "DELETE", "Patient/" + existing, null)))).post("/fhir").then().statusCode(200).extract().asString());
        assertEquals(List.of("201 Created", "204 No Content"), again.getList("entry.response.status"));
        as(user).get("/api/patients/" + existing).then().statusCode(404);
        assertEquals(1, as(user).queryParam("identifier", MRN + "|" + mrn).get("/api/patients").then().extract().jsonPath().getList("").size());
        // PUT and GET entries.
        long id = Long.parseLong(again.getString("entry[0].response.location").split("/")[1]);
        JsonPath changed = JsonPath.from(fhir(user).body(bundle("transaction", List.of(
                entry(null, null, "GET", "Patient/" + id, null),
                entry(null, patient(mrn, "\"id\":\"" + id + "\"").replace("Doe", "Roe"), "PUT", "Patient/" + id, "\"ifMatch\":\"W/\\\"0\\\"\""))))
                .post("/fhir").then().statusCode(200).extract().asString());
        assertEquals(List.of("200 OK", "200 OK"), changed.getList("entry.response.status"));
        assertEquals("Roe", changed.getString("entry[0].resource.name[0].text").split(" ")[2], "GET runs after PUT");
        assertEquals("Roe", as(user).get("/api/patients/" + id).then().extract().jsonPath().getString("familyName"));
    }

    /**
     * A transaction decides a patient's write access once (PatientService#writableOrganization);
     * the patient's delete earlier in the same bundle must undo that decision: a condition posted
     * on it afterwards is a 404 naming its entry, and everything is rolled back.
     */
    @Test
    void aPatientDeletedEarlierInTheBundleTakesItsCachedWriteDecisionWithIt() {
        TestUser user = newUser();
        long x = createPatient(user, patient(mrn(), null));
        long c1 = Long.parseLong(resource(fhir(user).body(condition("Patient/" + x, null)).post("/fhir/Condition"), 201, "Condition")
                .getString("id"));
        long before = rowsOf(user);
        // Order done: DELETE Condition (decides X), DELETE Patient (X gone), then POST Condition on X.
        JsonPath o = outcome(fhir(user).body(bundle("transaction", List.of(
                entry(null, condition("Patient/" + x, null), "POST", "Condition", null),
                entry(null, null, "DELETE", "Patient/" + x, null),
                entry(null, null, "DELETE", "Condition/" + c1, null)))).post("/fhir"), 404);
        assertEquals(List.of("Bundle.entry[0]"), expressions(o));
        assertEquals(before, rowsOf(user), "nothing of the bundle is left");
        as(user).get("/api/patients/" + x + "/conditions/" + c1).then().statusCode(200);
    }

    @Test
    void aBatchDoesEachEntryOnItsOwn() {
        TestUser user = newUser();
        TestUser other = newUser();
        long hers = createPatient(other, patient(mrn(), null));
        String good = mrn();
        String bad = patient(mrn(), null).replace("1984-03-07", "2999-01-01");
        String response = fhir(user).body(bundle("batch", List.of(
                entry(urn(), patient(good, null), "POST", "Patient", null),
                entry(urn(), bad, "POST", "Patient", null),
                entry(null, condition("Patient/" + hers, null), "POST", "Condition", null),
                entry(null, null, "PATCH", "Patient/1", null)))).post("/fhir").then().statusCode(200).extract().asString();
        UsCoreValidator.assertValid(response);
        JsonPath r = JsonPath.from(response);
        assertEquals("batch-response", r.getString("type"));
        assertEquals(List.of("201 Created", "422 Unprocessable Entity", "404 Not Found", "400 Bad Request"),
                r.getList("entry.response.status"));
        assertEquals(List.of("Bundle.entry[1].resource.birthDate"), r.getList("entry[1].response.outcome.issue.expression.flatten()"));
        assertEquals(List.of("Bundle.entry[2]"), r.getList("entry[2].response.outcome.issue.expression.flatten()"));
        assertEquals(1, as(user).queryParam("identifier", MRN + "|" + good).get("/api/patients").then().extract().jsonPath().getList("").size());
        assertEquals(0, as(other).get("/api/patients/" + hers + "/conditions").then().extract().jsonPath().getList("").size());
    }

    @Test
    void theSameConditionalCreateSentConcurrentlyMakesOnePatient() throws Exception {
        TestUser user = newUser();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 8; round++) {
                String mrn = mrn();
                boolean asBundle = round % 2 == 1;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                Set<String> ids = ConcurrentHashMap.newKeySet();
                for (int t = 0; t < 6; t++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        if (asBundle) {
                            var res = fhir(user).body(bundle("transaction", List.of(entry(urn(), patient(mrn, null), "POST", "Patient",
                                    "\"ifNoneExist\":\"identifier=" + MRN + "|" + mrn + "\"")))).post("/fhir");
                            if (res.statusCode() == 200) {
                                ids.add(JsonPath.from(res.asString()).getString("entry[0].response.location").split("/")[1]);
                            }
                            return res.statusCode();
                        }
                        var res = fhir(user).header("If-None-Exist", "identifier=" + MRN + "|" + mrn).body(patient(mrn, null))
                                .post("/fhir/Patient");
                        if (res.statusCode() < 300) {
                            ids.add(JsonPath.from(res.asString()).getString("id"));
                        }
                        return res.statusCode();
                    }));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : results) {
                    statuses.add(f.get());
                }
                assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 201 || s == 409 || s == 412),
                        "round " + round + ": " + statuses);
                assertEquals(1, as(user).queryParam("identifier", MRN + "|" + mrn).get("/api/patients").then().extract()
                        .jsonPath().getList("").size(), "round " + round + ": " + statuses);
                assertEquals(1, ids.size(), "every answer names the one patient: " + ids);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The ingest rate through transactions (issue 20 asks for 1,000 resources/s on the 2-core box):
     * 10 bundles of 100 patients with 4 conditions each, timed and printed; every row checked.
     */
    @Test
    void ingestThroughTransactionsKeepsEveryRecord() {
        TestUser user = newUser();
        int bundles = 10;
        int perBundle = 100;
        long resources = 0;
        long started = System.nanoTime();
        for (int b = 0; b < bundles; b++) {
            List<String> entries = new ArrayList<>();
            for (int p = 0; p < perBundle; p++) {
                String u = urn();
                entries.add(entry(u, patient(mrn(), null), "POST", "Patient", null));
                for (String code : List.of("44054006", "38341003", "195662009", "10509002")) {
                    entries.add(entry(null, condition(u, null).replace("44054006", code), "POST", "Condition", null));
                }
            }
            resources += entries.size();
            fhir(user).body(bundle("transaction", entries)).post("/fhir").then().statusCode(200);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("FHIR transaction ingest: %d resources in %.2f s = %.0f resources/s%n", resources, seconds, resources / seconds);
        assertEquals(bundles * perBundle, count("select count(*) from patients where owner_id = ?", user.id()));
        assertEquals(bundles * perBundle * 4, count("select count(*) from conditions c join patients p on p.id = c.patient_id"
                + " where p.owner_id = ?", user.id()));
        assertEquals(bundles * perBundle * 5, count("select count(*) from audit_events where actor_id = ? and action = 'create'", user.id()));
        assertEquals(bundles * perBundle, count("select count(*) from patients_history where owner_id = ?", user.id()));
        assertEquals(bundles * perBundle * 4, count("select count(*) from conditions_history h join patients p on p.id = h.patient_id"
                + " where p.owner_id = ?", user.id()));
    }

}
