package org.acme.healthcare.common;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.createDoctor;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.Api.uniqueEmail;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Every JSON body of the API is read the same way (json/RequestBodies): all bad fields in one
 * answer, a value of the wrong type hiding nothing, an alias with its field refused, an
 * invisible name refused, and no rejected value repeated.
 */
@QuarkusTest
class RequestParsingTest {
    private static final String MARKER = "MARKER-RP-51";

    private static ValidatableResponse anonymous(String path, String json) {
        return given().contentType(ContentType.JSON).body(json).post(path).then();
    }

    @Test
    void registerReportsAWrongTypeWithTheOtherFields() {
        assertProblem(anonymous("/api/auth/register", "{\"name\": 12, \"email\": \"" + MARKER + "\", \"password\": \"x\"}"), 400)
                .body("errors.field", contains("email", "name", "password"))
                .body(not(containsString(MARKER)));
    }

    @ParameterizedTest
    @ValueSource(strings = { " ", "\\u200B", "\\u00A0\\uFEFF", "\\u2060\\u200D" })
    void registerRefusesAnInvisibleName(String name) {
        assertProblem(anonymous("/api/auth/register",
                "{\"name\": \"" + name + "\", \"email\": \"" + uniqueEmail() + "\", \"password\": \"correct horse battery\"}"), 400)
                .body("errors.field", contains("name"));
    }

    @Test
    void loginReportsBothWrongTypes() {
        assertProblem(anonymous("/api/auth/login", "{\"email\": 12, \"password\": 1234567890}"), 400)
                .body("errors.field", contains("email", "password"))
                .body(not(containsString("1234567890")));
    }

    @Test
    void refreshReportsAWrongType() {
        assertProblem(anonymous("/api/auth/refresh", "{\"refreshToken\": 42}"), 400).body("errors.field", contains("refreshToken"))
                .body("errors[0].message", equalTo("must be a string"));
    }

    @Test
    void passwordChangeReportsBothFields() {
        TestUser user = newUser();
        assertProblem(as(user).body("{\"currentPassword\": 5, \"newPassword\": \"short\"}").post("/api/auth/password").then(), 400)
                .body("errors.field", contains("currentPassword", "newPassword"));
    }

    @Test
    void accountChangeReportsBothFields() {
        TestUser user = newUser();
        assertProblem(as(admin()).body("{\"role\": 5, \"disabled\": \"yes\"}").patch("/api/users/" + user.id()).then(), 400)
                .body("errors.field", contains("disabled", "role"))
                .body("errors.find { it.field == 'disabled' }.message", equalTo("must be true or false"));
        as(admin()).get("/api/users?size=500").then().statusCode(200);
    }

    @Test
    void mappingReportsBothIdsEvenWhenNeitherReads() {
        TestUser owner = newUser();
        assertProblem(as(owner).body("{\"patientId\": \"1\", \"doctorId\": 1.5}").post("/api/mappings").then(), 400)
                .body("errors.field", contains("doctorId", "patientId"));
        assertProblem(as(owner).body("{\"patientId\": 0, \"doctorId\": true}").post("/api/mappings").then(), 400)
                .body("errors.field", contains("doctorId", "patientId"));
    }

    @Test
    void mappingIdAndItsAliasTogetherAre400() {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Pat");
        long doctor = createDoctor(owner, "Dr. Alias", "GP");
        long other = createPatient(owner, "Other");
        assertProblem(as(owner).body("{\"patientId\": " + patient + ", \"patient_id\": " + other + ", \"doctorId\": " + doctor + "}")
                .post("/api/mappings").then(), 400).body("errors.field", contains("patientId"));
        assertProblem(as(owner).body("{\"patientId\": " + patient + ", \"doctorId\": " + doctor + ", \"doctor_id\": " + doctor + "}")
                .post("/api/mappings").then(), 400).body("errors.field", contains("doctorId"));
        as(owner).get("/api/mappings").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void doctorSpecializationAndItsAliasTogetherAre400OnPostAndPut() {
        TestUser creator = newUser();
        assertProblem(as(creator).body("{\"name\": \"Dr. A\", \"specialization\": \"GP\", \"specialty\": \"ENT\"}")
                .post("/api/doctors").then(), 400).body("errors.field", contains("specialization"));
        long id = createDoctor(creator, "Dr. Kept", "GP");
        assertProblem(as(creator).body("{\"specialty\": \"ENT\", \"specialization\": \"GP\"}").put("/api/doctors/" + id).then(), 400)
                .body("errors.field", contains("specialization"));
        as(creator).get("/api/doctors/" + id).then().body("specialization", equalTo("GP")).body("version", equalTo(0));
    }

    @Test
    void doctorReportsEveryBadFieldAtOnceOnPostAndPut() {
        TestUser creator = newUser();
        assertProblem(as(creator).body("{\"age\": \"45\", \"email\": \"nope\", \"specialty\": 3}").post("/api/doctors").then(), 400)
                .body("errors.field", contains("age", "email", "name", "specialty"));
        long id = createDoctor(creator, "Dr. Kept", "GP");
        assertProblem(as(creator).body("{\"name\": null, \"age\": 151, \"contactInfo\": {}}").put("/api/doctors/" + id).then(), 400)
                .body("errors.field", contains("age", "contactInfo", "name"));
        as(creator).get("/api/doctors/" + id).then().body("name", equalTo("Dr. Kept")).body("version", equalTo(0));
    }

    @ParameterizedTest
    @ValueSource(strings = { " ", "\\u200B", "\\u00A0", "\\uFEFF\\u200C", "\\u2060" })
    void doctorNameOfOnlyInvisibleCharactersIs400OnPostAndPut(String name) {
        TestUser creator = newUser();
        String json = "{\"name\": \"" + name + "\"}";
        assertProblem(as(creator).body(json).post("/api/doctors").then(), 400).body("errors.field", contains("name"));
        long id = createDoctor(creator, "Dr. Kept", "GP");
        assertProblem(as(creator).body(json).put("/api/doctors/" + id).then(), 400).body("errors.field", contains("name"));
    }

    @Test
    void unknownAndOwnerFieldsAreStillIgnored() {
        TestUser owner = newUser();
        as(owner).body("{\"name\": \"A\", \"ownerId\": 1, \"id\": 5, \"zz\": {\"deep\": [1, 2]}, \"" + MARKER + "\": 1}")
                .post("/api/patients").then().statusCode(201).body("name", equalTo("A"));
    }
}
