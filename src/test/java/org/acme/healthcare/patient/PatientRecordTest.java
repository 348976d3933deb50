package org.acme.healthcare.patient;

import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.body;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.OrgRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Contract part 2, "The patient record": birth date (age computed), structured name and
 * identifiers unique per organization or per owner, refusals first.
 */
@QuarkusTest
class PatientRecordTest {
    @Inject
    AgroalDataSource db;

    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    private static ValidatableResponse post(TestUser user, Object json) {
        return as(user).body(json).post("/api/patients").then();
    }

    private static Map<String, Object> id(String system, String value) {
        return Map.of("system", system, "value", value);
    }

    private static String mrn() {
        return "MRN-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // --- refusals -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = { "1899-12-31", "2999-01-01", "07/03/1984", "1984-02-30", "1984-3-7", "" })
    void aBirthDateOutOfRangeOrNotADateIsA400NamingIt(String date) {
        assertProblem(post(newUser(), body("name", "B", "birthDate", date)), 400).body("errors.field", hasItem("birthDate"));
    }

    @Test
    void tomorrowInUtcIsTheFuture() {
        assertProblem(post(newUser(), body("name", "B", "birthDate", TODAY.plusDays(1).toString())), 400)
                .body("errors.field", contains("birthDate"));
        post(newUser(), body("name", "B", "birthDate", TODAY.toString())).statusCode(201).body("age", equalTo(0));
    }

    @Test
    void anAgeThatDisagreesWithTheBirthDateIsA400AndOneThatAgreesIsComputed() {
        String birth = TODAY.minusYears(30).plusDays(1).toString(); // 29 until tomorrow
        assertProblem(post(newUser(), body("name", "A", "birthDate", birth, "age", 30)), 400)
                .body("errors.field", contains("age"));
        post(newUser(), body("name", "A", "birthDate", birth, "age", 29)).statusCode(201).body("age", equalTo(29))
                .body("birthDate", equalTo(birth));
    }

    @Test
    void aPutOfAnAgeAloneIsCheckedAgainstTheStoredBirthDate() {
        TestUser owner = newUser();
        String birth = TODAY.minusYears(40).toString();
        long id = post(owner, body("name", "A", "birthDate", birth)).statusCode(201).extract().jsonPath().getLong("id");
        assertProblem(as(owner).body(body("age", 12)).put("/api/patients/" + id).then(), 400).body("errors.field", contains("age"));
        as(owner).get("/api/patients/" + id).then().statusCode(200).body("age", equalTo(40)).body("version", equalTo(0));
        // Clearing the birth date leaves no stale age behind (it was derived); an age can then be typed again.
        as(owner).body(body("birthDate", null)).put("/api/patients/" + id).then().statusCode(200).body("age", nullValue());
        as(owner).body(body("age", 12)).put("/api/patients/" + id).then().statusCode(200).body("age", equalTo(12));
    }

    @Test
    void anAgeAloneIsStillAnsweredAsSent() {
        post(newUser(), body("name", "Old style", "age", 57)).statusCode(201).body("age", equalTo(57)).body("birthDate", nullValue());
    }

    @Test
    void badNamesAndIdentifiersAreReportedTogether() {
        assertProblem(post(newUser(), body("name", "N", "familyName", "\u200B", "givenNames", List.of("Ann", " "),
                "identifiers", List.of(id("not a uri", "1"), id("http://h.example/mrn", "has space"),
                        id("http://h.example/mrn", "x".repeat(101)), Map.of("value", "no-system")))), 400)
                .body("errors.field", contains("familyName", "givenNames", "identifiers"))
                .body("errors[2].message", org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.containsString("absolute URI"),
                        org.hamcrest.Matchers.containsString("visible characters"), org.hamcrest.Matchers.containsString("required")));
    }

    @Test
    void theSameIdentifierTwiceInOneListIsA400() {
        String v = mrn();
        assertProblem(post(newUser(), body("name", "D", "identifiers", List.of(id("http://h.example/mrn", v),
                id("http://h.example/mrn", v)))), 400).body("errors.field", contains("identifiers"));
    }

    @Test
    void aSecondPersonalPatientWithTheSameIdentifierIsA409ButAnotherUsersIsNot() {
        TestUser owner = newUser();
        var ids = List.of(id("urn:oid:2.16.840.1.113883.4.3.25", mrn()));
        post(owner, body("name", "First", "identifiers", ids)).statusCode(201);
        assertProblem(post(owner, body("name", "Second", "identifiers", ids)), 409);
        post(newUser(), body("name", "Someone else's", "identifiers", ids)).statusCode(201);
    }

    @Test
    void inAnOrganizationTheIdentifierIsUniqueAcrossItsMembersAndAMoveInThatCollidesIsA409() {
        TestUser admin = newUser();
        TestUser clinician = newUser();
        long org = OrgRows.create(db, "MRN clinic", admin.id());
        OrgRows.join(db, org, clinician.id(), "clinician");
        long otherOrg = OrgRows.create(db, "Other MRN clinic", admin.id());
        var ids = List.of(id("http://clinic.example/mrn", mrn()));
        post(admin, body("name", "In clinic", "organizationId", org, "identifiers", ids)).statusCode(201);
        assertProblem(post(clinician, body("name", "Duplicate", "organizationId", org, "identifiers", ids)), 409);
        post(clinician, body("name", "Other clinic's", "organizationId", otherOrg, "identifiers", ids)).statusCode(404);
        post(admin, body("name", "Other clinic's", "organizationId", otherOrg, "identifiers", ids)).statusCode(201);

        long personal = post(clinician, body("name", "Personal", "identifiers", ids)).statusCode(201).extract().jsonPath().getLong("id");
        assertProblem(as(clinician).body(body("organizationId", org)).put("/api/patients/" + personal).then(), 409);
        as(clinician).get("/api/patients/" + personal).then().statusCode(200).body("organizationId", nullValue())
                .body("version", equalTo(0));
    }

    @Test
    void anIdentifierSearchThatIsNotSystemBarValueIsA400() {
        TestUser user = newUser();
        for (String bad : List.of("no-bar", "|value", "http://h.example/mrn|", "relative/path|v", "http://h.example/mrn|a b")) {
            assertProblem(as(user).queryParam("identifier", bad).get("/api/patients").then(), 400)
                    .body("errors.field", contains("identifier"));
        }
    }

    // --- what works -----------------------------------------------------------------------------

    @Test
    void theRecordKeepsItsStructuredNameAndIdentifiersAndHistoryShowsThem() {
        TestUser owner = newUser();
        String v = mrn();
        long id = post(owner, body("name", "Jane Q. Doe", "familyName", " Doe ", "givenNames", List.of("Jane", "Q."),
                "birthDate", "1984-03-07", "identifiers", List.of(id("http://h.example/mrn", v))))
                .statusCode(201).body("familyName", equalTo("Doe")).body("givenNames", contains("Jane", "Q."))
                .body("identifiers[0].system", equalTo("http://h.example/mrn")).body("identifiers[0].value", equalTo(v))
                .extract().jsonPath().getLong("id");
        // A PUT with identifiers replaces the list; without it, leaves it.
        as(owner).body(body("name", "Jane Doe")).put("/api/patients/" + id).then().statusCode(200)
                .body("identifiers.value", contains(v));
        as(owner).body(body("identifiers", List.of())).put("/api/patients/" + id).then().statusCode(200)
                .body("identifiers.size()", equalTo(0));
        as(owner).get("/api/patients/" + id + "/history/0").then().statusCode(200)
                .body("patient.identifiers.value", contains(v)).body("patient.birthDate", equalTo("1984-03-07"));
        // The old identifier is free again.
        post(owner, body("name", "Reuses it", "identifiers", List.of(id("http://h.example/mrn", v)))).statusCode(201);
    }

    @Test
    void identifierSearchFindsOnlyWhatTheCallerMayRead() {
        TestUser owner = newUser();
        TestUser stranger = newUser();
        String v = mrn();
        var ids = List.of(id("http://h.example/mrn", v));
        long mine = post(owner, body("name", "Mine", "identifiers", ids)).statusCode(201).extract().jsonPath().getLong("id");
        post(stranger, body("name", "Theirs", "identifiers", ids)).statusCode(201);
        createPatient(owner, "No identifier");
        as(owner).queryParam("identifier", "http://h.example/mrn|" + v).get("/api/patients").then().statusCode(200)
                .header("X-Total-Count", "1").body("id", contains((int) mine));
        as(owner).queryParam("identifier", "http://h.example/other|" + v).get("/api/patients").then().statusCode(200)
                .header("X-Total-Count", "0");
    }

    @Test
    void existingRowsKeepTheirAgeAndGetAnEmptyIdentifierList() {
        TestUser owner = newUser();
        long id = post(owner, body("name", "Pre-V15", "age", 61)).statusCode(201).extract().jsonPath().getLong("id");
        // As V15 leaves an existing row: no birth date, no structured name, [] identifiers.
        OrgRows.update(db, "update patients set birth_date = null, family_name = null, given_names = null, identifiers = '[]'"
                + " where id = ?", id);
        as(owner).get("/api/patients/" + id).then().statusCode(200).body("age", equalTo(61))
                .body("identifiers.size()", equalTo(0)).body("givenNames.size()", equalTo(0));
    }

    // --- races ----------------------------------------------------------------------------------

    /**
     * Many members create a patient with the same identifier in one organization at once: exactly
     * one wins, every other gets 409 (never a 500, never two). Rounds, each with a fresh value.
     */
    @Test
    void concurrentCreatesWithOneIdentifierLeaveExactlyOne() throws Exception {
        TestUser admin = newUser();
        long org = OrgRows.create(db, "Race clinic", admin.id());
        List<TestUser> members = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TestUser u = newUser();
            OrgRows.join(db, org, u.id(), "clinician");
            members.add(u);
        }
        ExecutorService pool = Executors.newFixedThreadPool(members.size());
        try {
            for (int round = 0; round < 15; round++) {
                var ids = List.of(id("http://race.example/mrn", mrn()));
                List<Callable<Integer>> calls = new ArrayList<>();
                for (TestUser u : members) {
                    calls.add(() -> as(u).body(body("name", "Racer", "organizationId", org, "identifiers", ids))
                            .post("/api/patients").then().extract().statusCode());
                }
                List<Integer> codes = new ArrayList<>();
                for (Future<Integer> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                    codes.add(f.get());
                }
                assertEquals(1, codes.stream().filter(c -> c == 201).count(), "round " + round + ": " + codes);
                assertTrue(codes.stream().allMatch(c -> c == 201 || c == 409), "round " + round + ": " + codes);
                Object rows = OrgRows.single(db, "select count(*) from patient_identifiers where organization_id = ? and value = ?",
                        org, ids.get(0).get("value"));
                assertEquals(1L, ((Number) rows).longValue());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
