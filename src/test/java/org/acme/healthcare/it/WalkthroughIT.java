package org.acme.healthcare.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;

/** The README's curl walkthrough, against the packaged jar in production mode. */
@QuarkusIntegrationTest
@WithTestResource(GeneratedKeys.class)
class WalkthroughIT {

    @Test
    void registerLoginPatientDoctorMapping() {
        String email = "walkthrough-" + UUID.randomUUID() + "@example.com";
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "Ada Lovelace", "email", email, "password", "correct horse battery"))
                .post("/api/auth/register").then().statusCode(201).body("role", equalTo("user"));

        String token = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "correct horse battery"))
                .post("/api/auth/login").then().statusCode(200).body("tokenType", equalTo("Bearer"))
                .extract().path("token");

        var patient = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token)
                .body(Map.of("name", "Jane Doe", "age", 42, "gender", "F", "condition", "Hypertension"))
                .post("/api/patients").then().statusCode(201)
                .body("gender", equalTo("female")).body("disease", equalTo("Hypertension"));
        long patientId = patient.extract().jsonPath().getLong("id");
        patient.header("Location", endsWith("/api/patients/" + patientId));

        long doctorId = given().contentType(ContentType.JSON).header("x-access-token", token)
                .body(Map.of("name", "Dr. Gregory House", "specialty", "Nephrology"))
                .post("/api/doctors").then().statusCode(201)
                .body("specialization", equalTo("Nephrology"))
                .extract().jsonPath().getLong("id");

        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token)
                .body(Map.of("patientId", patientId, "doctorId", doctorId))
                .post("/api/mappings").then().statusCode(201)
                .body("patient.name", equalTo("Jane Doe")).body("doctor.name", equalTo("Dr. Gregory House"));

        given().header("Authorization", "Bearer " + token).get("/api/mappings/patient/" + patientId)
                .then().statusCode(200).body("name", contains("Dr. Gregory House"));

        // The same records through the FHIR R4 view (HAPI's model and parser in the packaged jar).
        given().get("/fhir/metadata").then().statusCode(200).contentType(startsWith("application/fhir+json"))
                .body(containsString("\"fhirVersion\":\"4.0.1\""));
        given().header("Authorization", "Bearer " + token).get("/fhir/Patient/" + patientId).then().statusCode(200)
                .contentType(startsWith("application/fhir+json")).header("ETag", "W/\"0\"")
                .body(containsString("\"resourceType\":\"Patient\"")).body(containsString("\"text\":\"Jane Doe\""));
        given().header("Authorization", "Bearer " + token).get("/fhir/CareTeam?patient=" + patientId).then().statusCode(200)
                .body(containsString("\"reference\":\"Practitioner/" + doctorId + "\""));
        given().get("/fhir/Patient/" + patientId).then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
                .contentType(startsWith("application/fhir+json")).body(containsString("OperationOutcome"));

        // Production mode still answers errors as problem documents.
        given().get("/api/patients").then().statusCode(401).contentType(startsWith("application/problem+json"));
    }
}
