package org.acme.healthcare.audit;

import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.createDoctor;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class AuditListAndCascadeTest {
    @Inject
    AuditLog audit;

    private JsonPath events(String recordType, long recordId) throws InterruptedException {
        assertTrue(audit.flush(10_000), "audit writer drained");
        return as(admin()).queryParam("recordType", recordType).queryParam("recordId", recordId).queryParam("size", 500)
                .get("/api/audit").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aSearchThatReturnedAPatientIsFoundByThatPatientsId() throws Exception {
        TestUser owner = newUser();
        TestUser admin = admin();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long bob = createPatient(owner, "Bob " + tag);
        long other = createPatient(owner, "Alice " + tag);
        as(admin).queryParam("scope", "all").queryParam("q", "bob " + tag).get("/api/patients").then().statusCode(200);

        JsonPath bobs = events("patient", bob);
        assertEquals("list", bobs.getString("[0].action"));
        assertEquals((int) admin.id(), bobs.getInt("[0].actorId"));
        assertEquals(List.of((int) bob), bobs.getList("[0].recordIds"));
        assertEquals("create", events("patient", other).getString("[0].action"), "not in the search's results");

        as(owner).queryParam("size", 500).get("/api/patients").then().statusCode(200);
        JsonPath list = events("patient", other);
        assertEquals("list", list.getString("[0].action"));
        assertEquals((int) owner.id(), list.getInt("[0].actorId"));
        assertTrue(list.getList("[0].recordIds", Long.class).containsAll(List.of(bob, other)));
        assertEquals(List.of("list", "list", "create"), events("patient", bob).getList("action"));
    }

    @Test
    void aListOfMappingsIsFoundByThePatientsItShowed() throws Exception {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Mapped " + UUID.randomUUID());
        long doctor = createDoctor(owner, "Dr. Listed", "Audit");
        as(owner).body(Map.of("patientId", patient, "doctorId", doctor)).post("/api/mappings").then().statusCode(201);
        as(owner).get("/api/mappings").then().statusCode(200);
        JsonPath seen = events("patient", patient);
        assertEquals("list", seen.getString("[0].action"));
        assertEquals((int) owner.id(), seen.getInt("[0].actorId"));
        assertEquals(List.of((int) patient), seen.getList("[0].recordIds"));
    }

    @Test
    void anEmptyOrDeniedListRecordsNoIds() throws Exception {
        TestUser user = newUser();
        as(user).get("/api/patients").then().statusCode(200);
        as(user).queryParam("scope", "all").get("/api/patients").then().statusCode(403);
        assertTrue(audit.flush(10_000));
        JsonPath mine = as(admin()).queryParam("actor", user.id()).queryParam("recordType", "patient").get("/api/audit")
                .then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("denied", "success"), mine.getList("outcome"));
        assertNull(mine.get("[0].recordIds"));
        assertEquals(List.of(), mine.getList("[1].recordIds"));
    }

    @Test
    void deletingADoctorAuditsEveryMappingItRemoves() throws Exception {
        TestUser creator = newUser();
        TestUser ownerA = newUser();
        TestUser ownerB = newUser();
        long doctor = createDoctor(creator, "Dr. Cascade", "Cardiology");
        long keptDoctor = createDoctor(creator, "Dr. Stays", "GP");
        long pa = createPatient(ownerA, "Patient A");
        long pb = createPatient(ownerB, "Patient B");
        long ma = map(ownerA, pa, doctor);
        long mb = map(ownerB, pb, doctor);
        long kept = map(ownerA, pa, keptDoctor);

        as(creator).delete("/api/doctors/" + doctor).then().statusCode(204);

        for (long m : List.of(ma, mb)) {
            JsonPath e = events("mapping", m);
            assertEquals(List.of("delete", "create"), e.getList("action"));
            assertEquals((int) creator.id(), e.getInt("[0].actorId"));
            assertEquals("success", e.getString("[0].outcome"));
        }
        assertEquals(List.of("create"), events("mapping", kept).getList("action"));
        as(ownerA).get("/api/mappings/" + pa).then().statusCode(200).body("size()", org.hamcrest.Matchers.is(1));
    }

    @Test
    void deletingAPatientAuditsEveryMappingItRemoves() throws Exception {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Leaving");
        long m1 = map(owner, patient, createDoctor(owner, "Dr. One", "A"));
        long m2 = map(owner, patient, createDoctor(owner, "Dr. Two", "B"));
        as(owner).delete("/api/patients/" + patient).then().statusCode(204);
        for (long m : List.of(m1, m2)) {
            JsonPath e = events("mapping", m);
            assertEquals(List.of("delete", "create"), e.getList("action"));
            assertEquals((int) owner.id(), e.getInt("[0].actorId"));
        }
    }

    @Test
    void aRefusedDoctorDeleteRemovesAndAuditsNothing() throws Exception {
        TestUser creator = newUser();
        TestUser stranger = newUser();
        long doctor = createDoctor(creator, "Dr. Guarded", "GP");
        long patient = createPatient(creator, "Guarded");
        long mapping = map(creator, patient, doctor);
        as(stranger).delete("/api/doctors/" + doctor).then().statusCode(403);
        assertEquals(List.of("create"), events("mapping", mapping).getList("action"));
    }

    private static long map(TestUser owner, long patient, long doctor) {
        return as(owner).body(Map.of("patientId", patient, "doctorId", doctor)).post("/api/mappings")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }
}
