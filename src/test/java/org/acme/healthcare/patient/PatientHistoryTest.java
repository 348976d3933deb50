package org.acme.healthcare.patient;

import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.createDoctor;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class PatientHistoryTest {
    @Inject
    AuditLog audit;

    private static Map<String, Object> get(TestUser user, long id) {
        return as(user).get("/api/patients/" + id).then().statusCode(200).extract().jsonPath().getMap("");
    }

    @Test
    void everyVersionIsKeptNewestFirstAsGetShowedIt() {
        TestUser owner = newUser();
        long id = as(owner).body(Map.of("name", "Hist One", "disease", "Flu", "gender", "F")).post("/api/patients")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        Map<String, Object> v0 = get(owner, id);
        as(owner).body(Map.of("disease", "Pneumonia", "age", 51)).put("/api/patients/" + id).then().statusCode(200);
        Map<String, Object> v1 = get(owner, id);
        var clear = new HashMap<String, Object>();
        clear.put("disease", null);
        as(owner).body(clear).put("/api/patients/" + id).then().statusCode(200);
        Map<String, Object> v2 = get(owner, id);

        JsonPath history = as(owner).get("/api/patients/" + id + "/history").then().statusCode(200)
                .header("X-Total-Count", "3").extract().jsonPath();
        assertEquals(List.of(2, 1, 0), history.getList("version"));
        assertEquals(List.of("update", "update", "create"), history.getList("action"));
        assertEquals(List.of((int) owner.id(), (int) owner.id(), (int) owner.id()), history.getList("changedBy"));
        assertEquals(v2, history.getMap("[0].patient"));
        assertEquals(v1, history.getMap("[1].patient"));
        assertEquals(v0, history.getMap("[2].patient"));
        assertTrue(history.getString("[0].changedAt").endsWith("Z"));

        JsonPath one = as(owner).get("/api/patients/" + id + "/history/1").then().statusCode(200).extract().jsonPath();
        assertEquals(1, one.getInt("version"));
        assertEquals("update", one.getString("action"));
        assertEquals(v1, one.getMap("patient"));
        assertEquals("Pneumonia", one.getString("patient.disease"));
    }

    @Test
    void historyIsPagedLikeTheLists() {
        TestUser owner = newUser();
        long id = createPatient(owner, "Paged History");
        for (int age = 1; age <= 4; age++) {
            as(owner).body(Map.of("age", age)).put("/api/patients/" + id).then().statusCode(200);
        }
        as(owner).queryParam("page", 1).queryParam("size", 2).get("/api/patients/" + id + "/history").then()
                .statusCode(200)
                .header("X-Total-Count", "5")
                .header("Link", containsString("rel=\"prev\""))
                .header("Link", containsString("rel=\"next\""))
                .body("version", equalTo(List.of(2, 1)));
        assertProblem(as(owner).queryParam("size", 501).get("/api/patients/" + id + "/history").then(), 400);
    }

    @Test
    void historyOutlivesDeleteForOwnerAndAdmin() {
        TestUser owner = newUser();
        long id = as(owner).body(Map.of("name", "Deleted Later", "disease", "Gout")).post("/api/patients")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        as(owner).body(Map.of("age", 70)).put("/api/patients/" + id).then().statusCode(200);
        Map<String, Object> last = get(owner, id);
        as(owner).delete("/api/patients/" + id).then().statusCode(204);
        assertProblem(as(owner).get("/api/patients/" + id).then(), 404);

        for (TestUser reader : List.of(owner, admin())) {
            JsonPath history = as(reader).get("/api/patients/" + id + "/history").then().statusCode(200)
                    .header("X-Total-Count", "3").extract().jsonPath();
            assertEquals(List.of("delete", "update", "create"), history.getList("action"));
            assertEquals(List.of(2, 1, 0), history.getList("version"));
            assertEquals(last, history.getMap("[0].patient"), "the delete shows the record as it was when deleted");
            assertEquals((int) owner.id(), history.getInt("[0].changedBy"));
        }
        as(owner).get("/api/patients/" + id + "/history/2").then().statusCode(200)
                .body("action", equalTo("delete")).body("patient.disease", equalTo("Gout"));
    }

    @Test
    void anotherUsersHistoryIsNotFoundAndAudited() throws Exception {
        TestUser owner = newUser();
        TestUser other = newUser();
        long id = createPatient(owner, "Private History");
        assertProblem(as(other).get("/api/patients/" + id + "/history").then(), 404);
        assertProblem(as(other).get("/api/patients/" + id + "/history/0").then(), 404);
        as(owner).delete("/api/patients/" + id).then().statusCode(204);
        assertProblem(as(other).get("/api/patients/" + id + "/history").then(), 404);

        as(owner).get("/api/patients/" + id + "/history").then().statusCode(200);
        assertTrue(audit.flush(10_000));
        JsonPath events = as(admin()).queryParam("recordType", "patient").queryParam("recordId", id)
                .get("/api/audit").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("read", "read", "delete", "read", "read", "create"), events.getList("action"));
        assertEquals(List.of("success", "denied", "success", "denied", "denied", "success"), events.getList("outcome"));
    }

    @Test
    void unknownRecordOrVersionIsNotFound() {
        TestUser owner = newUser();
        long id = createPatient(owner, "Versions");
        assertProblem(as(owner).get("/api/patients/" + id + "/history/1").then(), 404);
        assertProblem(as(owner).get("/api/patients/" + id + "/history/99").then(), 404);
        assertProblem(as(owner).get("/api/patients/" + (Long.MAX_VALUE - 3) + "/history").then(), 404);
    }

    @Test
    void badIdOrVersionIs400() {
        TestUser owner = newUser();
        long id = createPatient(owner, "Versions");
        assertProblem(as(owner).get("/api/patients/" + id + "/history/abc").then(), 400);
        assertProblem(as(owner).get("/api/patients/" + id + "/history/-1").then(), 400);
        assertProblem(as(owner).get("/api/patients/abc/history").then(), 400);
    }

    @Test
    void erasureRemovesRecordAndEveryRevisionAndKeepsAPurgeEvent() throws Exception {
        TestUser owner = newUser();
        TestUser admin = admin();
        long id = as(owner).body(Map.of("name", "Erase Me", "disease", "Sensitive Condition")).post("/api/patients")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        as(owner).body(Map.of("age", 33)).put("/api/patients/" + id).then().statusCode(200);
        long doctor = createDoctor(owner, "Dr. Erase", "GP");
        long mapping = as(owner).body(Map.of("patientId", id, "doctorId", doctor)).post("/api/mappings")
                .then().statusCode(201).extract().jsonPath().getLong("id");

        assertProblem(as(owner).delete("/api/patients/" + id + "/history").then(), 403);
        as(owner).get("/api/patients/" + id).then().statusCode(200);

        as(admin).delete("/api/patients/" + id + "/history").then().statusCode(204);
        for (TestUser reader : List.of(owner, admin)) {
            assertProblem(as(reader).get("/api/patients/" + id).then(), 404);
            assertProblem(as(reader).get("/api/patients/" + id + "/history").then(), 404);
            assertProblem(as(reader).get("/api/patients/" + id + "/history/0").then(), 404);
        }
        assertProblem(as(admin).delete("/api/patients/" + id + "/history").then(), 404);
        long rows = QuarkusTransaction.requiringNew().call(() -> (Long) Patient.getEntityManager()
                .createNativeQuery("select count(*) from patients_history where id = ?1", Long.class)
                .setParameter(1, id).getSingleResult());
        assertEquals(0, rows);

        assertTrue(audit.flush(10_000));
        JsonPath events = as(admin).queryParam("recordType", "patient").queryParam("recordId", id)
                .get("/api/audit").then().statusCode(200).extract().jsonPath();
        assertEquals("purge", events.getString("[0].action"));
        assertEquals((int) admin.id(), events.getInt("[0].actorId"));
        assertTrue(events.getList("action").contains("create"), "earlier events are kept");
        as(admin).queryParam("recordType", "mapping").queryParam("recordId", mapping).get("/api/audit").then()
                .body("action", equalTo(List.of("delete", "create")))
                .body("[0].actorId", equalTo((int) admin.id()));
        String raw = as(admin).queryParam("recordId", id).get("/api/audit").then().extract().asString();
        assertTrue(!raw.contains("Erase Me") && !raw.contains("Sensitive"), raw);
    }

    @Test
    void erasureAfterDeleteRemovesTheHistory() {
        TestUser owner = newUser();
        long id = createPatient(owner, "Deleted Then Erased");
        as(owner).delete("/api/patients/" + id).then().statusCode(204);
        as(admin()).delete("/api/patients/" + id + "/history").then().statusCode(204);
        assertProblem(as(owner).get("/api/patients/" + id + "/history").then(), 404);
        assertProblem(as(admin()).delete("/api/patients/" + (Long.MAX_VALUE - 5) + "/history").then(), 404);
    }

    @Test
    void everyPatientRowHasAHistory() {
        // Rows from before V7 got a baseline revision; every later create writes one.
        createPatient(newUser(), "Has History");
        long without = QuarkusTransaction.requiringNew().call(() -> (Long) Patient.getEntityManager()
                .createNativeQuery("select count(*) from patients p where not exists"
                        + " (select 1 from patients_history h where h.id = p.id and h.revtype = 0)", Long.class)
                .getSingleResult());
        assertEquals(0, without);
    }

    @Test
    void revisionsOfChangesWithoutACallerHaveNoActor() {
        TestUser owner = newUser();
        long id = createPatient(owner, "Maintenance");
        QuarkusTransaction.requiringNew().run(() -> {
            Patient p = Patient.findById(id);
            p.age = 9;
        });
        JsonPath history = as(owner).get("/api/patients/" + id + "/history").then().statusCode(200).extract().jsonPath();
        assertNull(history.get("[0].changedBy"));
        assertEquals(9, history.getInt("[0].patient.age"));
    }
}
