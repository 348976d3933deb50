package org.acme.healthcare.mapping;

import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.createDoctor;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class MappingTest {

    @Test
    void createReturnsTheMappingWithoutLocation() {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Pat");
        long doctor = createDoctor(newUser(), "Dr. Map", "Oncology");
        as(owner).body(Map.of("patient_id", patient, "doctor_id", doctor)).post("/api/mappings").then()
                .statusCode(201)
                .header("Location", nullValue())
                .body("id", notNullValue())
                .body("patientId", equalTo((int) patient))
                .body("doctorId", equalTo((int) doctor))
                .body("createdAt", notNullValue())
                .body("patient.id", equalTo((int) patient))
                .body("patient.name", equalTo("Pat"))
                .body("doctor.id", equalTo((int) doctor))
                .body("doctor.name", equalTo("Dr. Map"))
                .body("doctor.specialization", equalTo("Oncology"));
    }

    @Test
    void samePairTwiceIsConflict() {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Pat");
        long doctor = createDoctor(owner, "Dr. Twice", "GP");
        as(owner).body(Map.of("patientId", patient, "doctorId", doctor)).post("/api/mappings").then().statusCode(201);
        assertProblem(as(owner).body(Map.of("patientId", patient, "doctorId", doctor)).post("/api/mappings").then(), 409);
    }

    @Test
    void patientMustBeTheCallersAndDoctorMustExist() {
        TestUser owner = newUser();
        TestUser other = newUser();
        long patient = createPatient(owner, "Pat");
        long doctor = createDoctor(owner, "Dr. X", "GP");
        assertProblem(as(other).body(Map.of("patientId", patient, "doctorId", doctor)).post("/api/mappings").then(), 404);
        assertProblem(as(owner).body(Map.of("patientId", patient, "doctorId", Long.MAX_VALUE)).post("/api/mappings").then(),
                404);
        assertProblem(as(owner).body(Map.of("patientId", Long.MAX_VALUE, "doctorId", doctor)).post("/api/mappings").then(),
                404);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"patientId\":1}", "{\"patientId\":\"one\",\"doctorId\":1}",
            "{\"patientId\":0,\"doctorId\":-1}", "{\"patientId\":9223372036854775808,\"doctorId\":1}", "[]" })
    void badBodiesAre400(String raw) {
        assertProblem(as(newUser()).body(raw).post("/api/mappings").then(), 400);
    }

    @Test
    void doctorsOfAPatientOnBothPaths() {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Pat");
        long first = createDoctor(owner, "Dr. First", "A");
        long second = createDoctor(owner, "Dr. Second", "B");
        long mapping = as(owner).body(Map.of("patientId", patient, "doctorId", first)).post("/api/mappings")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        as(owner).body(Map.of("patientId", patient, "doctorId", second)).post("/api/mappings").then().statusCode(201);
        for (String path : new String[] { "/api/mappings/" + patient, "/api/mappings/patient/" + patient }) {
            as(owner).get(path).then().statusCode(200)
                    .header("X-Total-Count", "2")
                    .body("id", contains((int) first, (int) second))
                    .body("name", contains("Dr. First", "Dr. Second"))
                    .body("[0].mappingId", equalTo((int) mapping))
                    .body("[0].assignedAt", notNullValue())
                    .body("[0].specialization", equalTo("A"));
        }
        TestUser other = newUser();
        assertProblem(as(other).get("/api/mappings/" + patient).then(), 404);
        assertProblem(as(other).get("/api/mappings/patient/" + patient).then(), 404);
        as(admin()).get("/api/mappings/" + patient).then().statusCode(200).body("size()", equalTo(2));
        assertProblem(as(owner).get("/api/mappings/abc").then(), 400);
    }

    @Test
    void listShowsOnlyTheCallersMappings() {
        TestUser owner = newUser();
        TestUser other = newUser();
        long patient = createPatient(owner, "Pat");
        long doctor = createDoctor(owner, "Dr. L", "GP");
        long mapping = as(owner).body(Map.of("patientId", patient, "doctorId", doctor)).post("/api/mappings")
                .then().extract().jsonPath().getLong("id");
        long otherPatient = createPatient(other, "Other");
        as(other).body(Map.of("patientId", otherPatient, "doctorId", doctor)).post("/api/mappings").then().statusCode(201);
        as(owner).get("/api/mappings").then().statusCode(200).header("X-Total-Count", "1").body("id", contains((int) mapping));
    }

    @Test
    void adminListsEveryUsersMappings() {
        TestUser owner = newUser();
        TestUser other = newUser();
        long doctor = createDoctor(owner, "Dr. L", "GP");
        for (TestUser user : List.of(owner, other)) {
            long patient = createPatient(user, "Pat");
            as(user).body(Map.of("patientId", patient, "doctorId", doctor)).post("/api/mappings").then().statusCode(201);
        }
        as(admin()).queryParam("sort", "x").queryParam("size", 500).queryParam("page", 0).get("/api/mappings").then()
                .statusCode(200);
        int total = Integer.parseInt(as(admin()).get("/api/mappings").then().statusCode(200).extract().header("X-Total-Count"));
        org.junit.jupiter.api.Assertions.assertTrue(total >= 2, "admin sees everyone's mappings");
    }

    @Test
    void deleteIsScopedToTheOwner() {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Pat");
        long doctor = createDoctor(owner, "Dr. D", "GP");
        long mapping = as(owner).body(Map.of("patientId", patient, "doctorId", doctor)).post("/api/mappings")
                .then().extract().jsonPath().getLong("id");
        assertProblem(as(newUser()).delete("/api/mappings/" + mapping).then(), 404);
        as(owner).get("/api/mappings/" + patient).then().body("mappingId", hasItem((int) mapping));
        as(owner).delete("/api/mappings/" + mapping).then().statusCode(204);
        assertProblem(as(owner).delete("/api/mappings/" + mapping).then(), 404);
    }
}
