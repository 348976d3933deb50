package org.acme.healthcare.audit;

import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.createDoctor;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class AuditTest {
    @Inject
    AuditLog audit;

    private JsonPath eventsFor(String recordType, long recordId) throws InterruptedException {
        assertTrue(audit.flush(10_000), "audit writer drained");
        return as(admin()).queryParam("recordType", recordType).queryParam("recordId", recordId).queryParam("size", 500)
                .get("/api/audit").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void everyPatientAccessLeavesAnEventNewestFirst() throws Exception {
        TestUser owner = newUser();
        var created = as(owner).header("X-Request-Id", "req-audit-1").body(Map.of("name", "Audited Person", "disease", "Secret"))
                .post("/api/patients").then().statusCode(201).extract().jsonPath();
        long id = created.getLong("id");
        as(owner).get("/api/patients/" + id).then().statusCode(200);
        as(owner).body(Map.of("age", 40)).put("/api/patients/" + id).then().statusCode(200);
        as(owner).delete("/api/patients/" + id).then().statusCode(204);

        JsonPath events = eventsFor("patient", id);
        assertEquals(List.of("delete", "update", "read", "create"), events.getList("action"));
        assertEquals(List.of("success", "success", "success", "success"), events.getList("outcome"));
        assertEquals(4, events.getList("actorId", Long.class).stream().filter(a -> a == owner.id()).count());
        assertEquals("req-audit-1", events.getString("[3].clientRequestId"));
        assertTrue(events.getString("[0].clientAddress").length() > 0);
        String raw = as(admin()).queryParam("recordId", id).get("/api/audit").then().extract().asString();
        assertTrue(!raw.contains("Audited Person") && !raw.contains("Secret"), "no clinical content: " + raw);
    }

    @Test
    void theAuditKeepsTheServersRequestIdAndTheClientsOnlyBesideIt() throws Exception {
        TestUser owner = newUser();
        long id = createPatient(owner, "Request Ids");
        String echoed = as(owner).header("X-Request-Id", "chosen-by-client").get("/api/patients/" + id)
                .then().statusCode(200).extract().header("X-Request-Id");
        as(owner).get("/api/patients/" + id).then().statusCode(200);
        JsonPath events = eventsFor("patient", id);
        assertEquals(List.of("read", "read", "create"), events.getList("action"));
        // A client cannot choose the id the audit is searched by: the server's own id is request_id.
        assertTrue(events.getString("[1].requestId").matches(UUID), events.getString("[1].requestId"));
        assertEquals("chosen-by-client", events.getString("[1].clientRequestId"));
        assertEquals("chosen-by-client", echoed, "the response header still echoes the client's id");
        assertTrue(events.getString("[0].requestId").matches(UUID));
        assertNull(events.getString("[0].clientRequestId"));
        assertTrue(!events.getString("[0].requestId").equals(events.getString("[1].requestId")));
    }

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void refusedAttemptsAreAuditedAsDeniedOrNotFound() throws Exception {
        TestUser owner = newUser();
        TestUser intruder = newUser();
        long id = createPatient(owner, "Target");
        assertProblem(as(intruder).get("/api/patients/" + id).then(), 404);
        assertProblem(as(intruder).body(Map.of("age", 1)).put("/api/patients/" + id).then(), 404);
        assertProblem(as(intruder).delete("/api/patients/" + id).then(), 404);
        JsonPath events = eventsFor("patient", id);
        assertEquals(List.of("delete", "update", "read"), events.getList("action").subList(0, 3));
        assertEquals(List.of("denied", "denied", "denied"), events.getList("outcome").subList(0, 3));
        assertEquals(List.of(intruder.id(), intruder.id(), intruder.id()),
                events.getList("actorId", Long.class).subList(0, 3));

        long missing = Long.MAX_VALUE - 7;
        assertProblem(as(intruder).get("/api/patients/" + missing).then(), 404);
        eventsFor("patient", missing);
        as(admin()).queryParam("recordId", missing).queryParam("actor", intruder.id()).get("/api/audit").then()
                .body("outcome", hasItem("not_found"));
    }

    @Test
    void aRolledBackChangeLeavesNoSuccessEvent() throws Exception {
        TestUser owner = newUser();
        long id = createPatient(owner, "Stale");
        as(owner).body(Map.of("age", 1)).put("/api/patients/" + id).then().statusCode(200);
        assertProblem(as(owner).header("If-Match", "\"0\"").body(Map.of("age", 2)).put("/api/patients/" + id).then(), 412);
        JsonPath events = eventsFor("patient", id);
        assertEquals(List.of("update", "create"), events.getList("action"));
    }

    @Test
    void mappingChangesAreAudited() throws Exception {
        TestUser owner = newUser();
        long patient = createPatient(owner, "P");
        long doctor = createDoctor(owner, "Dr. A", "GP");
        long mapping = as(owner).body(Map.of("patientId", patient, "doctorId", doctor)).post("/api/mappings")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        as(owner).get("/api/mappings/" + patient).then().statusCode(200);
        as(owner).delete("/api/mappings/" + mapping).then().statusCode(204);
        assertEquals(List.of("delete", "create"), eventsFor("mapping", mapping).getList("action"));
        assertEquals("read", eventsFor("patient", patient).getString("[0].action"));
    }

    @Test
    void filterByActorAndTimeShowsThatActorsEventsNewestFirst() throws Exception {
        TestUser owner = newUser();
        Instant before = Instant.now().minusSeconds(1);
        long id = createPatient(owner, "Filtered");
        as(owner).get("/api/patients/" + id).then().statusCode(200);
        assertTrue(audit.flush(10_000));
        // The actor's patient events (their login is audited too, as a session event).
        as(admin()).queryParam("actor", owner.id()).queryParam("recordType", "patient").queryParam("from", before.toString())
                .queryParam("to", Instant.now().plusSeconds(5).toString())
                .get("/api/audit").then().statusCode(200)
                .header("X-Total-Count", "2")
                .body("actorId", everyItem(equalTo((int) owner.id())))
                .body("action", contains("read", "create"))
                .body("occurredAt", everyItem(notNullValue()));
        as(admin()).queryParam("actor", owner.id()).queryParam("from", Instant.now().plusSeconds(60).toString())
                .get("/api/audit").then().header("X-Total-Count", "0");
    }

    @Test
    void theAuditTrailIsAdminOnly() {
        assertProblem(as(newUser()).get("/api/audit").then(), 403);
    }

    @Test
    void badFiltersAre400() {
        assertProblem(as(admin()).queryParam("from", "yesterday").get("/api/audit").then(), 400)
                .body("errors.field", contains("from"));
        assertProblem(as(admin()).queryParam("recordType", "doctor").get("/api/audit").then(), 400);
    }

    @Test
    void auditTableHasNoClinicalColumns() {
        List<?> columns = QuarkusTransaction.requiringNew().call(() -> AuditEvent.getEntityManager()
                .createNativeQuery("select column_name from information_schema.columns where table_name = 'audit_events'")
                .getResultList());
        assertTrue(columns.stream().map(Object::toString).noneMatch(c -> c.matches("name|disease|condition|address|phone|email|age|gender")),
                columns.toString());
    }
}
