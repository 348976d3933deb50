package org.acme.healthcare.common;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.createDoctor;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.Api.uniqueEmail;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Bidirectional controls (U+202A–U+202E, U+2066–U+2069) make text display in another order than it
 * is stored ("Ada \u202Eecalevol" shows as "Ada lovelace"): refused in every name and email the API
 * accepts, each answer naming the field. Free text (address, condition, contact info) keeps them:
 * mixed-direction text needs them there.
 */
@QuarkusTest
class BidiControlTest {

    @ParameterizedTest
    @ValueSource(strings = { "\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069" })
    void anAccountNameWithABidiControlIsRefused(String bidi) {
        assertProblem(given().contentType(ContentType.JSON)
                .body(Map.of("name", "Ada " + bidi + "ecalevol", "email", uniqueEmail(), "password", PASSWORD))
                .post("/api/auth/register").then(), 400)
                .body("errors.field", equalTo(List.of("name")))
                .body("errors[0].message", equalTo("must not contain bidirectional control characters"))
                .body(not(containsString("ecalevol")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "\u202E", "\u2067" })
    void aPatientNameOrEmailWithABidiControlIsRefusedOnCreateAndUpdate(String bidi) {
        TestUser owner = newUser();
        assertProblem(as(owner).body(Map.of("name", "Jane " + bidi + "eoD")).post("/api/patients").then(), 400)
                .body("errors.field", hasItem("name"));
        assertProblem(as(owner).body(Map.of("name", "Jane Doe", "email", "jane" + bidi + "@example.com"))
                .post("/api/patients").then(), 400).body("errors.field", hasItem("email"));
        long id = createPatient(owner, "Jane Doe");
        assertProblem(as(owner).body(Map.of("name", bidi + "Jane")).put("/api/patients/" + id).then(), 400)
                .body("errors.field", hasItem("name"));
        assertProblem(as(owner).body(Map.of("email", bidi + "jane@example.com")).put("/api/patients/" + id).then(), 400)
                .body("errors.field", hasItem("email"));
        as(owner).get("/api/patients/" + id).then().statusCode(200).body("name", equalTo("Jane Doe"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "\u202D", "\u2066" })
    void aDoctorNameOrEmailWithABidiControlIsRefusedOnCreateAndUpdate(String bidi) {
        TestUser creator = newUser();
        assertProblem(as(creator).body(Map.of("name", "Dr. " + bidi + "House")).post("/api/doctors").then(), 400)
                .body("errors.field", hasItem("name"));
        assertProblem(as(creator).body(Map.of("name", "Dr. House", "email", "house" + bidi + "@example.com"))
                .post("/api/doctors").then(), 400).body("errors.field", hasItem("email"));
        long id = createDoctor(creator, "Dr. House", "Nephrology");
        assertProblem(as(creator).body(Map.of("name", "Dr. House" + bidi)).put("/api/doctors/" + id).then(), 400)
                .body("errors.field", hasItem("name"));
        assertProblem(as(creator).body(Map.of("email", "house@" + bidi + "example.com")).put("/api/doctors/" + id).then(), 400)
                .body("errors.field", hasItem("email"));
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        TestUser owner = newUser();
        assertProblem(as(owner).body(Map.of("name", "\u202EJane", "email", "\u202Ejane@example.com")).post("/api/patients").then(), 400)
                .body("errors.field", hasItem("name")).body("errors.field", hasItem("email"));
    }

    @Test
    void namesInRightToLeftScriptsAndFreeTextWithIsolatesAreAccepted() {
        TestUser owner = newUser();
        as(owner).body(Map.of("name", "\u05D3\u05E0\u05D4 \u05DB\u05D4\u05DF", // Hebrew, no control needed
                "address", "\u2067\u0634\u0627\u0631\u0639 1\u2069, Springfield")).post("/api/patients").then().statusCode(201);
        as(owner).body(Map.of("name", "Dr. \u0645\u0631\u064A\u0645", "specialization", "Nephrology")).post("/api/doctors")
                .then().statusCode(201);
    }
}
