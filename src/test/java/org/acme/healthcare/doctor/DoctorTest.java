package org.acme.healthcare.doctor;

import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.createDoctor;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DoctorTest {

    @Test
    void createTakesSpecialtyAliasAndRecordsTheCreator() {
        TestUser creator = newUser();
        var response = as(creator).body(Map.of("name", "Dr. House", "specialty", "Nephrology", "email", "h@example.com",
                "phone", "555", "contactInfo", "Room 221", "age", 45, "createdBy", 999999))
                .post("/api/doctors").then().statusCode(201)
                .header("ETag", "\"0\"")
                .body("name", equalTo("Dr. House"))
                .body("specialization", equalTo("Nephrology"))
                .body("contactInfo", equalTo("Room 221"))
                .body("age", equalTo(45))
                .body("createdBy", equalTo((int) creator.id()))
                .body("version", equalTo(0))
                .body("updatedAt", notNullValue());
        long id = response.extract().jsonPath().getLong("id");
        response.header("Location", endsWith("/api/doctors/" + id));
    }

    @Test
    void anyUserReadsADoctorOfTheSharedDirectory() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long id = createDoctor(newUser(), "Dr. Shared " + tag, "Cardiology " + tag);
        as(newUser()).get("/api/doctors/" + id).then().statusCode(200).header("ETag", "\"0\"")
                .body("name", equalTo("Dr. Shared " + tag));
    }

    @Test
    void anyUserSearchesTheDirectoryByNameOrSpecializationIgnoringCase() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long id = createDoctor(newUser(), "Dr. Shared " + tag, "Cardiology " + tag);
        TestUser reader = newUser();
        as(reader).queryParam("q", "CARDIOLOGY " + tag.toUpperCase()).get("/api/doctors").then().statusCode(200)
                .header("X-Total-Count", "1").body("id", contains((int) id));
        as(reader).queryParam("q", "shared " + tag).get("/api/doctors").then().body("id", contains((int) id));
    }

    @Test
    void unknownDoctorIs404() {
        assertProblem(as(newUser()).get("/api/doctors/" + Long.MAX_VALUE).then(), 404);
    }

    /** GET by id answers a remembered doctor on the event loop: the refusals before it still hold. */
    @Test
    void aRememberedDoctorIsStillRefusedWithoutAValidTokenOrId() {
        TestUser reader = newUser();
        long id = createDoctor(newUser(), "Dr. Remembered", "Cardiology");
        as(reader).get("/api/doctors/" + id).then().statusCode(200); // now remembered
        assertProblem(given().get("/api/doctors/" + id).then(), 401);
        assertProblem(given().header("Authorization", "Bearer not-a-token").get("/api/doctors/" + id).then(), 401);
        assertProblem(as(reader).get("/api/doctors/0").then(), 400);
        assertProblem(as(reader).get("/api/doctors/x").then(), 400);
    }

    /**
     * The first read of a doctor goes to the database on a worker thread, the next ones are answered
     * from memory on the event loop: the same status, ETag and body both ways, and again after a change.
     */
    @Test
    void aReadFromTheDatabaseAndOneFromMemoryAnswerTheSame() {
        TestUser creator = newUser();
        TestUser reader = newUser();
        long id = createDoctor(creator, "Dr. Twice", "Cardiology");
        for (int version = 0; version < 2; version++) {
            var first = as(reader).get("/api/doctors/" + id).then().statusCode(200).extract();
            var second = as(reader).get("/api/doctors/" + id).then().statusCode(200).extract();
            assertEquals("\"" + version + "\"", first.header("ETag"));
            assertEquals(first.header("ETag"), second.header("ETag"));
            assertEquals(first.contentType(), second.contentType());
            assertEquals(first.jsonPath().getMap(""), second.jsonPath().getMap(""));
            as(creator).body(Map.of("name", "Dr. Twice " + version)).put("/api/doctors/" + id).then().statusCode(200);
        }
        as(reader).get("/api/doctors/" + id).then().statusCode(200).body("name", equalTo("Dr. Twice 1"));
    }

    @Test
    void pageOverTheLimitIs400() {
        assertProblem(as(newUser()).queryParam("size", 501).get("/api/doctors").then(), 400);
    }

    @Test
    void anotherUserMayNeitherChangeNorDeleteADoctor() {
        long id = createDoctor(newUser(), "Dr. Mine", "GP");
        TestUser other = newUser();
        assertProblem(as(other).body(Map.of("name", "Dr. Hijack")).put("/api/doctors/" + id).then(), 403);
        assertProblem(as(other).delete("/api/doctors/" + id).then(), 403);
    }

    @Test
    void creatorChangesTheirDoctorAndNullClearsAField() {
        TestUser creator = newUser();
        long id = createDoctor(creator, "Dr. Mine", "GP");
        Map<String, Object> clear = new HashMap<>();
        clear.put("specialization", null);
        as(creator).body(clear).put("/api/doctors/" + id).then().statusCode(200)
                .body("specialization", nullValue()).body("name", equalTo("Dr. Mine")).body("version", equalTo(1));
    }

    @Test
    void adminChangesAndDeletesAnyDoctor() {
        TestUser creator = newUser();
        long id = createDoctor(creator, "Dr. Mine", "GP");
        as(admin()).body(Map.of("phone", "911")).put("/api/doctors/" + id).then().statusCode(200)
                .body("phone", equalTo("911"));
        as(admin()).delete("/api/doctors/" + id).then().statusCode(204);
        assertProblem(as(creator).get("/api/doctors/" + id).then(), 404);
    }

    @Test
    void doctorValidation() {
        assertProblem(as(newUser()).body(Map.of("specialization", "x")).post("/api/doctors").then(), 400)
                .body("errors.field", contains("name"));
        assertProblem(as(newUser()).body(Map.of("name", "A", "age", 200, "email", "bad")).post("/api/doctors").then(), 400)
                .body("errors.field", hasItem("age"));
        TestUser creator = newUser();
        long id = createDoctor(creator, "Dr. Keep", "GP");
        Map<String, Object> clearName = new HashMap<>();
        clearName.put("name", null);
        assertProblem(as(creator).body(clearName).put("/api/doctors/" + id).then(), 400);
    }

    @Test
    void deletingADoctorDeletesItsMappings() {
        TestUser owner = newUser();
        long patient = createPatient(owner, "P");
        long doctor = createDoctor(owner, "Dr. Gone", "GP");
        as(owner).body(Map.of("patientId", patient, "doctorId", doctor)).post("/api/mappings").then().statusCode(201);
        as(owner).delete("/api/doctors/" + doctor).then().statusCode(204);
        as(owner).get("/api/mappings/" + patient).then().statusCode(200).body("size()", equalTo(0));
    }
}
