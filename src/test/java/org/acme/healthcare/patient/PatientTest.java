package org.acme.healthcare.patient;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.body;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;
import java.util.UUID;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PatientTest {


    @Test
    void createReturns201WithLocationEtagAndAllFields() {
        TestUser owner = newUser();
        var response = as(owner).body(body("name", "Jane Doe", "age", 42, "gender", "Female", "address", "1 Main St",
                "phone", "+1 555", "email", "jane@example.com", "condition", "Hypertension"))
                .post("/api/patients").then().statusCode(201)
                .header("ETag", equalTo("\"0\""))
                .body("name", equalTo("Jane Doe"))
                .body("age", equalTo(42))
                .body("gender", equalTo("female"))
                .body("address", equalTo("1 Main St"))
                .body("phone", equalTo("+1 555"))
                .body("email", equalTo("jane@example.com"))
                .body("disease", equalTo("Hypertension"))
                .body("version", equalTo(0))
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue());
        long id = response.extract().jsonPath().getLong("id");
        response.header("Location", endsWith("/api/patients/" + id));
        as(owner).get("/api/patients/" + id).then().statusCode(200).header("ETag", "\"0\"").body("id", equalTo((int) id));
    }

    @ParameterizedTest
    @CsvSource({ "male,male", "Male,male", "M,male", "f,female", "FEMALE,female", "O,other", "other,other", "U,unknown",
            "Unknown,unknown" })
    void genderTakesWordsAndHl7CodesAndAnswersTheWord(String input, String output) {
        as(newUser()).body(body("name", "G", "gender", input)).post("/api/patients")
                .then().statusCode(201).body("gender", equalTo(output));
    }

    @Test
    void ownerComesFromTheTokenNotTheBody() {
        TestUser owner = newUser();
        TestUser other = newUser();
        long id = as(owner).body(body("name", "Mine", "ownerId", other.id(), "userId", other.id(), "id", 1))
                .post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
        assertProblem(as(other).get("/api/patients/" + id).then(), 404);
        as(owner).get("/api/patients/" + id).then().statusCode(200);
    }

    @Test
    void invalidFieldsAreReportedOneEntryEach() {
        assertProblem(as(newUser()).body(body("name", "x".repeat(201), "age", 151, "email", "nope", "phone", "1".repeat(51)))
                .post("/api/patients").then(), 400)
                .body("errors.field", containsInAnyOrder("name", "age", "email", "phone"));
        assertProblem(as(newUser()).body(body("name", " ", "age", -1, "email", "nope")).post("/api/patients").then(), 400)
                .body("errors.field", containsInAnyOrder("name", "age", "email"));
        assertProblem(as(newUser()).body(body("age", 3)).post("/api/patients").then(), 400)
                .body("errors.field", contains("name"));
        assertProblem(as(newUser()).body(body("name", "A", "gender", "robot")).post("/api/patients").then(), 400)
                .body("errors[0].field", equalTo("gender"))
                .body("errors[0].message", not(containsString("robot")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"name\":\"A\",\"age\":\"12\"}", "{\"name\":12}", "{\"name\":\"A\",\"age\":12.5}",
            "{\"name\":\"A\",\"age\":1e309}", "{\"name\":\"A\",\"age\":99999999999}", "[{\"name\":\"A\"}]", "\"A\"",
            "{\"name\":\"A\"", "{\"name\":\"A\",\"name\":\"B\"}", "{\"name\":\"a\\u0000b\"}", "" })
    void malformedOrMistypedBodiesAre400(String raw) {
        assertProblem(as(newUser()).body(raw).post("/api/patients").then(), 400);
    }

    @Test
    void otherUsersPatientIsNotFoundForEveryVerb() {
        TestUser owner = newUser();
        TestUser other = newUser();
        long id = createPatient(owner, "Private");
        String unknown = "/api/patients/" + Long.MAX_VALUE;
        var notMine = assertProblem(as(other).get("/api/patients/" + id).then(), 404).extract().jsonPath();
        var missing = assertProblem(as(other).get(unknown).then(), 404).extract().jsonPath();
        assertEquals(missing.getString("detail"), notMine.getString("detail"));
        assertProblem(as(other).body(body("name", "Stolen")).put("/api/patients/" + id).then(), 404);
        assertProblem(as(other).delete("/api/patients/" + id).then(), 404);
        as(owner).get("/api/patients/" + id).then().statusCode(200).body("name", equalTo("Private"));
    }

    @Test
    void adminMayReadAnyPatient() {
        long id = createPatient(newUser(), "Visible to admin");
        as(admin()).get("/api/patients/" + id).then().statusCode(200).body("name", equalTo("Visible to admin"));
    }

    @Test
    void adminMayListEveryUsersPatients() {
        long id = createPatient(newUser(), "Visible to admin");
        as(admin()).queryParam("scope", "all").queryParam("q", "visible to ADMIN").queryParam("size", 500)
                .get("/api/patients").then().statusCode(200).body("id", hasItem((int) id));
    }

    @Test
    void scopeAllIsForbiddenToAUser() {
        assertProblem(as(newUser()).queryParam("scope", "all").get("/api/patients").then(), 403);
    }

    @Test
    void unknownScopeIs400() {
        assertProblem(as(newUser()).queryParam("scope", "everyone").get("/api/patients").then(), 400);
    }

    /** A new user with these patients, created in this order; another user has one patient too. */
    private static TestUser ownerOf(String... names) {
        createPatient(newUser(), "Someone else's");
        TestUser owner = newUser();
        for (String name : names) {
            createPatient(owner, name);
        }
        return owner;
    }

    @Test
    void listShowsOnlyTheCallersPatientsOldestFirstWithTheTotal() {
        as(ownerOf("Charlie", "alice", "Bob")).get("/api/patients").then().statusCode(200)
                .header("X-Total-Count", "3")
                .body("size()", equalTo(3))
                .body("name", contains("Charlie", "alice", "Bob"));
    }

    @Test
    void sortByNameIgnoresCase() {
        as(ownerOf("Charlie", "alice", "Bob")).queryParam("sort", "name").get("/api/patients").then()
                .body("name", contains("alice", "Bob", "Charlie"));
    }

    @Test
    void sortByMinusCreatedAtIsNewestFirst() {
        as(ownerOf("Charlie", "alice", "Bob")).queryParam("sort", "-createdAt").get("/api/patients").then()
                .body("name", contains("Bob", "alice", "Charlie"));
    }

    @Test
    void firstPageLinksToTheNextAndNotToAPrevious() {
        as(ownerOf("Charlie", "alice", "Bob")).queryParam("size", 2).get("/api/patients").then()
                .header("X-Total-Count", "3")
                .body("size()", equalTo(2))
                .header("Link", containsString("rel=\"next\""))
                .header("Link", containsString("page=1"))
                .header("Link", not(containsString("rel=\"prev\"")));
    }

    @Test
    void lastPageLinksToThePreviousAndNotToANext() {
        as(ownerOf("Charlie", "alice", "Bob")).queryParam("size", 2).queryParam("page", 1).get("/api/patients").then()
                .body("name", contains("Bob"))
                .header("Link", containsString("rel=\"prev\""))
                .header("Link", not(containsString("rel=\"next\"")));
    }

    @Test
    void pagePastTheEndIsEmpty() {
        as(ownerOf("Charlie", "alice", "Bob")).queryParam("page", 5).get("/api/patients").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void searchIsCaseInsensitiveContains() {
        TestUser owner = ownerOf("Maria Lopez", "Mario 100% Rossi", "Ann");
        as(owner).queryParam("q", "MARI").get("/api/patients").then().header("X-Total-Count", "2");
    }

    @Test
    void searchTreatsWildcardsLiterally() {
        TestUser owner = ownerOf("Maria Lopez", "Mario 100% Rossi", "Ann");
        as(owner).queryParam("q", "100%").get("/api/patients").then().body("name", contains("Mario 100% Rossi"));
        as(owner).queryParam("q", "_").get("/api/patients").then().header("X-Total-Count", "0");
    }

    @ParameterizedTest
    @ValueSource(strings = { "size=0", "size=501", "page=-1", "size=abc", "page=x", "sort=age", "sort=name;drop" })
    void badPagingParametersAre400(String query) {
        assertProblem(as(newUser()).get("/api/patients?" + query).then(), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = { "abc", "0", "-5", "1.5", "99999999999999999999" })
    void badIdsAre400(String id) {
        assertProblem(as(newUser()).get("/api/patients/" + id).then(), 400);
    }

    private static long createFullPatient(TestUser owner) {
        return as(owner).body(body("name", "Before", "age", 30, "disease", "Flu", "phone", "123"))
                .post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void putChangesOnlyPresentFieldsAndNullClears() {
        TestUser owner = newUser();
        long id = createFullPatient(owner);
        var before = as(owner).get("/api/patients/" + id).then().extract().jsonPath();
        var after = as(owner).body(body("age", 31, "disease", null)).put("/api/patients/" + id).then().statusCode(200)
                .header("ETag", "\"1\"")
                .body("name", equalTo("Before"))
                .body("age", equalTo(31))
                .body("disease", nullValue())
                .body("phone", equalTo("123"))
                .body("version", equalTo(1))
                .extract().jsonPath();
        assertNotEquals(before.getString("updatedAt"), after.getString("updatedAt"));
        assertEquals(before.getString("createdAt"), after.getString("createdAt"));
    }

    @Test
    void putCannotClearTheName() {
        TestUser owner = newUser();
        long id = createFullPatient(owner);
        assertProblem(as(owner).body(body("name", null)).put("/api/patients/" + id).then(), 400)
                .body("errors.field", contains("name"));
    }

    @Test
    void putTakesConditionAsTheDiseaseAlias() {
        TestUser owner = newUser();
        long id = createFullPatient(owner);
        as(owner).body(body("condition", "Asthma")).put("/api/patients/" + id).then().body("disease", equalTo("Asthma"));
        as(owner).get("/api/patients/" + id).then().body("name", equalTo("Before")).body("disease", equalTo("Asthma"));
    }

    @Test
    void staleIfMatchIs412AndChangesNothing() {
        TestUser owner = newUser();
        long id = createPatient(owner, "Versioned");
        as(owner).header("If-Match", "\"0\"").body(body("age", 1)).put("/api/patients/" + id).then().statusCode(200);
        assertProblem(as(owner).header("If-Match", "\"0\"").body(body("age", 2)).put("/api/patients/" + id).then(), 412);
        assertProblem(as(owner).header("If-Match", "\"0\"").delete("/api/patients/" + id).then(), 412);
        as(owner).get("/api/patients/" + id).then().body("age", equalTo(1)).header("ETag", "\"1\"");
        as(owner).header("If-Match", "\"1\"").delete("/api/patients/" + id).then().statusCode(204);
    }

    @Test
    void deleteRemovesThePatientAndItsMappings() {
        TestUser owner = newUser();
        long id = createPatient(owner, "Leaving");
        long doctor = org.acme.healthcare.support.Api.createDoctor(owner, "Dr Who " + UUID.randomUUID(), "Time");
        as(owner).body(Map.of("patientId", id, "doctorId", doctor)).post("/api/mappings").then().statusCode(201);
        as(owner).delete("/api/patients/" + id).then().statusCode(204);
        assertProblem(as(owner).get("/api/patients/" + id).then(), 404);
        as(owner).get("/api/mappings").then().statusCode(200).body("size()", equalTo(0));
        assertProblem(as(owner).delete("/api/patients/" + id).then(), 404);
    }

    @Test
    void patientsNeedAToken() {
        assertProblem(given().get("/api/patients").then(), 401).header("WWW-Authenticate", "Bearer");
    }

    @Test
    void toStringNeverPrintsClinicalFields() {
        Patient p = new Patient();
        p.name = "Secret Name";
        p.disease = "Secret Disease";
        p.address = "Secret Street";
        assertFalse(p.toString().contains("Secret"));
    }
}
