package org.acme.healthcare.condition;

import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.body;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.OrgRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Contract part 2, "Conditions": refusals first (fields, then who), then what works, audit, history and races. */
@QuarkusTest
class ConditionTest {
    static final Map<String, Object> DIABETES = Map.of("system", Codes.SNOMED, "code", "44054006", "display", "Diabetes mellitus type 2");

    @Inject
    AgroalDataSource db;

    @Inject
    AuditLog audit;

    private static String path(long patient) {
        return "/api/patients/" + patient + "/conditions";
    }

    private static ValidatableResponse post(TestUser user, long patient, Object json) {
        return as(user).body(json).post(path(patient)).then();
    }

    private static long condition(TestUser user, long patient) {
        return post(user, patient, body("code", DIABETES)).statusCode(201).extract().jsonPath().getLong("id");
    }

    // --- fields ---------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "http://loinc.org, 1234-5, code",
            "http://snomed.info/sct, 44054007, code", // check digit wrong (44054006 is right)
            "http://snomed.info/sct, 12345, code", // too short
            "http://snomed.info/sct, 0440540060, code", // leading zero
            "http://hl7.org/fhir/sid/icd-10-cm, E11-9, code",
            "http://hl7.org/fhir/sid/icd-10-cm, 11.9, code",
            "http://hl7.org/fhir/sid/icd-10-cm, E11.12345, code" })
    void aCodeOutsideItsSystemOrShapeIsA400NamingCode(String system, String code, String field) {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Coded");
        assertProblem(post(owner, patient, body("code", Map.of("system", system, "code", code))), 400)
                .body("errors.field", contains(field));
        as(owner).get(path(patient)).then().statusCode(200).header("X-Total-Count", "0");
    }

    @Test
    void otherBadFieldsAreA400() {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Fields");
        assertProblem(post(owner, patient, "{}"), 400).body("errors.field", contains("code"));
        assertProblem(post(owner, patient, body("text", "   ")), 400).body("errors.field", contains("text"));
        assertProblem(post(owner, patient, body("text", "x", "category", "billing", "clinicalStatus", "cured",
                "verificationStatus", "maybe", "onsetDate", "2999-01-01")), 400)
                .body("errors.field", contains("category", "clinicalStatus", "onsetDate", "verificationStatus"));
        assertProblem(post(owner, patient, body("text", "x", "clinicalStatus", "resolved", "onsetDate", "2020-05-01",
                "abatementDate", "2020-04-30")), 400)
                .body("errors.field", contains("abatementDate"));
        assertProblem(post(owner, patient, body("text", "x", "clinicalStatus", "active", "abatementDate", "2020-04-30")), 400)
                .body("errors.field", contains("abatementDate"));
        assertProblem(post(owner, patient, body("text", "x", "abatementDate", "2020-04-30")), 400) // defaults to active
                .body("errors.field", contains("abatementDate"));
        assertProblem(post(owner, patient, body("code", Map.of("system", Codes.SNOMED))), 400)
                .body("errors.field", contains("code"));
        assertProblem(as(owner).body("{\"text\": \"x\", \"onsetDate\": \"May 2020\"}").post(path(patient)).then(), 400);
        assertProblem(as(owner).queryParam("clinicalStatus", "cured").get(path(patient)).then(), 400);
        as(owner).get(path(patient)).then().statusCode(200).header("X-Total-Count", "0");
    }

    @Test
    void aPutThatLeavesNeitherCodeNorTextOrBreaksTheDatesChangesNothing() {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Put");
        long id = post(owner, patient, body("code", DIABETES, "onsetDate", "2020-01-01")).statusCode(201)
                .extract().jsonPath().getLong("id");
        assertProblem(as(owner).body(body("code", null)).put(path(patient) + "/" + id).then(), 400);
        assertProblem(as(owner).body(body("abatementDate", "2019-12-31")).put(path(patient) + "/" + id).then(), 400);
        as(owner).get(path(patient) + "/" + id).then().statusCode(200).body("version", equalTo(0))
                .body("code.code", equalTo("44054006")).body("abatementDate", nullValue());
    }

    // --- who ------------------------------------------------------------------------------------

    @Test
    void anotherUsersPatientOrAnUnknownOneIsA404ForEveryRoute() {
        TestUser owner = newUser();
        TestUser stranger = newUser();
        long patient = createPatient(owner, "Private");
        long id = condition(owner, patient);
        String one = path(patient) + "/" + id;
        assertProblem(post(stranger, patient, body("code", DIABETES)), 404);
        assertProblem(as(stranger).get(path(patient)).then(), 404);
        assertProblem(as(stranger).get(one).then(), 404);
        assertProblem(as(stranger).body(body("text", "x")).put(one).then(), 404);
        assertProblem(as(stranger).delete(one).then(), 404);
        assertProblem(as(owner).get(path(999_999_999)).then(), 404);
        // A condition id of another patient under this patient's path is 404 too.
        long otherPatient = createPatient(owner, "Other");
        assertProblem(as(owner).get(path(otherPatient) + "/" + id).then(), 404);
        assertProblem(as(owner).body(body("text", "moved?")).put(path(otherPatient) + "/" + id).then(), 404);
        as(owner).get(one).then().statusCode(200).body("version", equalTo(0)).body("patientId", equalTo((int) patient));
    }

    @Test
    void aPlatformAdminReadsButDoesNotWriteAnotherUsersConditions() {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Admin reads");
        long id = condition(owner, patient);
        TestUser root = admin();
        as(root).get(path(patient) + "/" + id).then().statusCode(200);
        assertProblem(post(root, patient, body("text", "admin's")), 404);
        assertProblem(as(root).delete(path(patient) + "/" + id).then(), 404);
    }

    @Test
    void inAnOrganizationReadersReadAndOnlyWritersWriteAndRestrictedNeedsBreakGlass() {
        TestUser orgAdmin = newUser();
        TestUser clinician = newUser();
        TestUser reader = newUser();
        long org = OrgRows.create(db, "Condition clinic", orgAdmin.id());
        OrgRows.join(db, org, clinician.id(), "clinician");
        OrgRows.join(db, org, reader.id(), "reader");
        long patient = as(orgAdmin).body(body("name", "Shared", "organizationId", org)).post("/api/patients").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        long id = condition(clinician, patient);
        as(reader).get(path(patient)).then().statusCode(200).header("X-Total-Count", "1");
        assertProblem(post(reader, patient, body("text", "reader's")), 403);
        assertProblem(as(reader).body(body("text", "x")).put(path(patient) + "/" + id).then(), 403);
        assertProblem(as(reader).delete(path(patient) + "/" + id).then(), 403);

        long restricted = as(orgAdmin).body(body("name", "Restricted", "organizationId", org, "restricted", true))
                .post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
        condition(orgAdmin, restricted);
        assertProblem(as(clinician).get(path(restricted)).then(), 403).body("type", endsWith("break-glass-required"));
        as(clinician).body(Map.of("reason", "Unconscious in the ER, need problem list")).post("/api/patients/" + restricted + "/break-glass")
                .then().statusCode(201);
        as(clinician).get(path(restricted)).then().statusCode(200).header("X-Total-Count", "1");
        assertProblem(post(clinician, restricted, body("text", "under a grant")), 403);
    }

    // --- what works -----------------------------------------------------------------------------

    @Test
    void createReadUpdateDeleteWithETagsFiltersAndDefaults() {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Crud");
        var created = post(owner, patient, body("code", DIABETES, "verificationStatus", "confirmed", "onsetDate", "2019-04-01"))
                .statusCode(201).header("ETag", "\"0\"")
                .body("category", equalTo("problem-list-item")).body("clinicalStatus", equalTo("active"))
                .body("recordedBy", equalTo((int) owner.id())).extract();
        long id = created.jsonPath().getLong("id");
        assertTrue(created.header("Location").endsWith(path(patient) + "/" + id));
        post(owner, patient, body("code", Map.of("system", Codes.ICD10CM, "code", "J45.909"), "category", "encounter-diagnosis",
                "clinicalStatus", "resolved")).statusCode(201);
        post(owner, patient, body("text", "Worried about falls", "category", "health-concern")).statusCode(201)
                .body("clinicalStatus", nullValue()).body("code", nullValue());

        as(owner).queryParam("clinicalStatus", "active").get(path(patient)).then().statusCode(200).header("X-Total-Count", "1")
                .body("id", contains((int) id));
        as(owner).queryParam("category", "encounter-diagnosis").get(path(patient)).then().statusCode(200)
                .header("X-Total-Count", "1").body("[0].code.code", equalTo("J45.909"));
        as(owner).queryParam("size", 2).get(path(patient)).then().statusCode(200).header("X-Total-Count", "3")
                .body("size()", equalTo(2)).header("Link", containsString("rel=\"next\""));

        String one = path(patient) + "/" + id;
        as(owner).get(one).then().statusCode(200).header("ETag", "\"0\"").body("code.display", equalTo("Diabetes mellitus type 2"));
        assertProblem(as(owner).header("If-Match", "\"7\"").body(body("clinicalStatus", "remission")).put(one).then(), 412);
        as(owner).header("If-Match", "\"0\"").body(body("clinicalStatus", "remission", "abatementDate", "2024-01-01"))
                .put(one).then().statusCode(200).header("ETag", "\"1\"").body("clinicalStatus", equalTo("remission"))
                .body("code.code", equalTo("44054006"));
        assertProblem(as(owner).header("If-Match", "\"0\"").delete(one).then(), 412);
        as(owner).header("If-Match", "\"1\"").delete(one).then().statusCode(204);
        assertProblem(as(owner).get(one).then(), 404);
        // History keeps every version, the delete included (Envers, conditions_history).
        assertEquals(List.of(0, 1, 2), revtypes(id));
    }

    private List<Integer> revtypes(long conditionId) {
        List<Integer> types = new ArrayList<>();
        try (var c = db.getConnection(); var ps = c.prepareStatement("select revtype from conditions_history where id = ? order by rev")) {
            ps.setLong(1, conditionId);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.add(rs.getInt(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return types;
    }

    @Test
    void everyReadAndChangeIsAuditedAsAnAccessOfThePatientAndTheAccessReportShowsThem() throws Exception {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Audited");
        long id = condition(owner, patient);
        as(owner).get(path(patient)).then().statusCode(200);
        as(owner).get(path(patient) + "/" + id).then().statusCode(200);
        as(owner).body(body("text", "note")).put(path(patient) + "/" + id).then().statusCode(200);
        as(owner).delete(path(patient) + "/" + id).then().statusCode(204);
        assertTrue(audit.flush(10_000));
        var events = as(admin()).queryParam("recordType", "patient").queryParam("recordId", patient).queryParam("size", 50)
                .get("/api/audit").then().statusCode(200).extract().jsonPath();
        List<String> actions = events.getList("action");
        assertEquals(List.of("delete", "update", "read", "read", "create", "create"), actions, events.prettify());
        assertEquals(id, events.getLong("[0].detail.condition"));
        assertEquals("list", events.getString("[3].detail.conditions"));
        as(owner).get("/api/patients/" + patient + "/access-report").then().statusCode(200).header("X-Total-Count", "6");
    }

    @Test
    void deletingThePatientDeletesItsConditionsWithHistoryAndErasureRemovesThatHistory() {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Cascade");
        long a = condition(owner, patient);
        long b = condition(owner, patient);
        as(owner).delete("/api/patients/" + patient).then().statusCode(204);
        assertEquals(List.of(0, 2), revtypes(a));
        assertEquals(List.of(0, 2), revtypes(b));
        assertEquals(0L, ((Number) OrgRows.single(db, "select count(*) from conditions where patient_id = ?", patient)).longValue());
        as(admin()).delete("/api/patients/" + patient + "/history").then().statusCode(204);
        assertEquals(List.of(), revtypes(a));
    }

    // --- races ----------------------------------------------------------------------------------

    /** Many PUTs with the same If-Match at once: exactly one wins, the rest are 412 or 409, never a lost update. */
    @Test
    void concurrentUpdatesWithOneETagLetExactlyOneThrough() throws Exception {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Race");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 15; round++) {
                long id = condition(owner, patient);
                String one = path(patient) + "/" + id;
                List<Callable<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String text = "writer " + i;
                    calls.add(() -> as(owner).header("If-Match", "\"0\"").body(body("text", text)).put(one).then().extract().statusCode());
                }
                List<Integer> codes = new ArrayList<>();
                for (Future<Integer> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                    codes.add(f.get());
                }
                assertEquals(1, codes.stream().filter(c -> c == 200).count(), "round " + round + ": " + codes);
                assertTrue(codes.stream().allMatch(c -> c == 200 || c == 412 || c == 409), "round " + round + ": " + codes);
                as(owner).get(one).then().statusCode(200).body("version", equalTo(1));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Conditions added while the patient is deleted: each add is either before the delete (and
     * deleted with it) or a 404 after it; none survives the patient, none is a 500.
     */
    @Test
    void conditionsAddedDuringThePatientsDeleteNeverOutliveIt() throws Exception {
        TestUser owner = newUser();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 15; round++) {
                long patient = createPatient(owner, "Deleted in a race");
                List<Callable<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    calls.add(() -> post(owner, patient, body("text", "late")).extract().statusCode());
                }
                calls.add(() -> as(owner).delete("/api/patients/" + patient).then().extract().statusCode());
                List<Integer> codes = new ArrayList<>();
                for (Future<Integer> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                    codes.add(f.get());
                }
                assertEquals(204, codes.get(3), "round " + round + ": " + codes);
                assertTrue(codes.subList(0, 3).stream().allMatch(c -> c == 201 || c == 404), "round " + round + ": " + codes);
                assertEquals(0L, ((Number) OrgRows.single(db, "select count(*) from conditions where patient_id = ?", patient)).longValue());
                assertFalse(codes.contains(500));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void verhoeffAcceptsRealSnomedIdsAndRefusesEverySingleDigitError() {
        for (String id : List.of("44054006", "38341003", "195967001", "73211009", "10509002", "162864005", "840539006")) {
            assertTrue(Codes.verhoeffValid(id), id);
            for (int pos = 0; pos < id.length(); pos++) {
                for (char d = '0'; d <= '9'; d++) {
                    if (d != id.charAt(pos)) {
                        String typo = id.substring(0, pos) + d + id.substring(pos + 1);
                        assertFalse(Codes.verhoeffValid(typo), typo);
                    }
                }
            }
        }
    }
}
