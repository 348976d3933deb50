package org.acme.healthcare.patient;

import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.Orgs;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/** Contract part 2, "Restricted patients and break-glass". */
@QuarkusTest
class BreakGlassTest {
    private static final String REASON = "Patient unconscious in the emergency department";

    @Inject
    AgroalDataSource db;

    @Inject
    AuditLog audit;

    record Clinic(long org, TestUser admin, TestUser creator, TestUser clinician, TestUser reader, long restricted, long open) {
    }

    private Clinic clinic() {
        TestUser admin = newUser();
        TestUser creator = newUser();
        TestUser clinician = newUser();
        TestUser reader = newUser();
        long org = Orgs.create(db, "Glass clinic", admin.id());
        Orgs.join(db, org, creator.id(), "clinician");
        Orgs.join(db, org, clinician.id(), "clinician");
        Orgs.join(db, org, reader.id(), "reader");
        long restricted = as(creator).body(Map.of("name", "VIP Glass", "organizationId", org, "restricted", true))
                .post("/api/patients").then().statusCode(201).body("restricted", equalTo(true)).extract().jsonPath().getLong("id");
        long open = as(creator).body(Map.of("name", "Open Glass", "organizationId", org)).post("/api/patients")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        return new Clinic(org, admin, creator, clinician, reader, restricted, open);
    }

    @Test
    void aRestrictedPatientIsReadOnlyByItsCreatorAndTheAdminsAndAbsentFromOthersLists() {
        Clinic c = clinic();
        as(c.creator()).get("/api/patients/" + c.restricted()).then().statusCode(200);
        as(c.admin()).get("/api/patients/" + c.restricted()).then().statusCode(200);
        for (TestUser member : List.of(c.clinician(), c.reader())) {
            assertProblem(as(member).get("/api/patients/" + c.restricted()).then(), 403)
                    .body("type", endsWith("break-glass-required"));
            List<Long> listed = as(member).get("/api/patients?size=500").then().statusCode(200).extract().jsonPath()
                    .getList("id", Long.class);
            assertFalse(listed.contains(c.restricted()));
            assertTrue(listed.contains(c.open()));
            as(member).get("/api/patients?organizationId=" + c.org()).then().statusCode(200).header("X-Total-Count", "1");
            as(member).get("/api/patients?q=glass").then().statusCode(200).header("X-Total-Count", "1");
            String fhir = as(member).get("/fhir/Patient?name=vip").then().statusCode(200).extract().asString();
            assertTrue(fhir.contains("\"total\":0"), fhir);
        }
        as(c.admin()).get("/api/patients?organizationId=" + c.org()).then().statusCode(200).header("X-Total-Count", "2");
        // A platform admin's scope=all does not list it either.
        List<Long> everyone = as(admin()).get("/api/patients?scope=all&q=VIP Glass&size=500").then().statusCode(200)
                .extract().jsonPath().getList("id", Long.class);
        assertFalse(everyone.contains(c.restricted()));
    }

    @Test
    void breakingTheGlassNeedsAReasonAMembershipAndARestrictedRecord() {
        Clinic c = clinic();
        TestUser outsider = newUser();
        String path = "/api/patients/" + c.restricted() + "/break-glass";
        assertProblem(as(c.clinician()).body(Map.of()).post(path).then(), 400).body("errors.field", hasItem("reason"));
        assertProblem(as(c.clinician()).body(Map.of("reason", "too short")).post(path).then(), 400);
        assertProblem(as(c.clinician()).body(Map.of("reason", "x".repeat(501))).post(path).then(), 400);
        assertProblem(as(c.clinician()).body(Map.of("reason", "          \u200b ")).post(path).then(), 400);
        assertProblem(as(c.clinician()).body("{\"reason\": 5").post(path).then(), 400);
        assertProblem(as(outsider).body(Map.of("reason", REASON)).post(path).then(), 404);
        assertProblem(as(c.clinician()).body(Map.of("reason", REASON)).post("/api/patients/" + Long.MAX_VALUE + "/break-glass")
                .then(), 404);
        // Not restricted, or readable already: nothing to break.
        assertProblem(as(c.clinician()).body(Map.of("reason", REASON)).post("/api/patients/" + c.open() + "/break-glass")
                .then(), 409);
        assertProblem(as(c.admin()).body(Map.of("reason", REASON)).post(path).then(), 409);
        long personal = createPatient(c.clinician(), "Personal glass");
        assertProblem(as(c.clinician()).body(Map.of("reason", REASON)).post("/api/patients/" + personal + "/break-glass")
                .then(), 409);
        assertProblem(as(outsider).body(Map.of("reason", REASON)).post("/api/patients/" + personal + "/break-glass")
                .then(), 404);
        given401(path);
    }

    private static void given401(String path) {
        assertProblem(io.restassured.RestAssured.given().contentType("application/json").body(Map.of("reason", REASON))
                .post(path).then(), 401);
    }

    @Test
    void aGrantOpensReadsForItsLifetimeNeverWritesAndEveryReadIsAuditedWithTheReason() throws Exception {
        Clinic c = clinic();
        String path = "/api/patients/" + c.restricted();
        Instant before = Instant.now();
        String expires = as(c.reader()).body(Map.of("reason", REASON)).post(path + "/break-glass").then().statusCode(201)
                .body("patientId", equalTo((int) c.restricted())).body("expiresAt", notNullValue())
                .extract().jsonPath().getString("expiresAt");
        Duration lifetime = Duration.between(before, Instant.parse(expires));
        assertTrue(lifetime.compareTo(Duration.ofMinutes(59)) > 0 && lifetime.compareTo(Duration.ofMinutes(61)) < 0, lifetime.toString());

        as(c.reader()).get(path).then().statusCode(200);
        as(c.reader()).get(path + "/history").then().statusCode(200);
        as(c.reader()).get("/api/mappings/" + c.restricted()).then().statusCode(200);
        as(c.reader()).get("/fhir/Patient/" + c.restricted()).then().statusCode(200);
        // Reads only, and still not in lists.
        assertProblem(as(c.reader()).body(Map.of("age", 1)).put(path).then(), 403);
        assertProblem(as(c.reader()).delete(path).then(), 403);
        assertFalse(as(c.reader()).get("/api/patients?size=500").then().extract().jsonPath().getList("id", Long.class)
                .contains(c.restricted()));
        // Another member is not let in by someone else's grant.
        assertProblem(as(c.clinician()).get(path).then(), 403);

        audit.flush(5_000);
        Object grants = Orgs.single(db, "select count(*) from audit_events where action = 'break_glass' and record_id = ?"
                + " and actor_id = ? and organization_id = ? and detail->>'reason' = ? and (detail->>'breakGlass')::boolean",
                c.restricted(), c.reader().id(), c.org(), REASON);
        assertEquals(1L, grants);
        Object reads = Orgs.single(db, "select count(*) from audit_events where action = 'read' and outcome = 'success'"
                + " and record_id = ? and actor_id = ? and organization_id = ? and detail->>'reason' = ?"
                + " and (detail->>'breakGlass')::boolean", c.restricted(), c.reader().id(), c.org(), REASON);
        assertEquals(4L, reads);

        // The org admins review it; other members and outsiders cannot.
        String review = "/api/organizations/" + c.org() + "/break-glass";
        as(c.admin()).get(review).then().statusCode(200).header("X-Total-Count", "1")
                .body("[0].patientId", equalTo((int) c.restricted())).body("[0].userId", equalTo((int) c.reader().id()))
                .body("[0].reason", equalTo(REASON)).body("[0].grantedAt", notNullValue()).body("[0].expiresAt", equalTo(expires));
        assertProblem(as(c.clinician()).get(review).then(), 403);
        assertProblem(as(newUser()).get(review).then(), 404);
        assertProblem(as(c.admin()).get("/api/organizations/" + Long.MAX_VALUE + "/break-glass").then(), 404);

        // Expired: the record is closed again.
        Orgs.update(db, "update break_glass_grants set granted_at = now() - interval '2 hours', expires_at = now() - interval '1 second'"
                + " where patient_id = ?", c.restricted());
        assertProblem(as(c.reader()).get(path).then(), 403).body("type", endsWith("break-glass-required"));
    }

    @Test
    void aPlatformAdminBreaksTheGlassLikeAMember() {
        Clinic c = clinic();
        var platform = admin();
        String path = "/api/patients/" + c.restricted();
        assertProblem(as(platform).get(path).then(), 403).body("type", endsWith("break-glass-required"));
        as(platform).body(Map.of("reason", REASON)).post(path + "/break-glass").then().statusCode(201);
        as(platform).get(path).then().statusCode(200);
        // It knows the record now, and may still not change it.
        assertProblem(as(platform).body(Map.of("age", 1)).put(path).then(), 403);
    }

    @Test
    void onlyAWriterMayRestrictOrLiftIt() {
        Clinic c = clinic();
        String path = "/api/patients/" + c.open();
        assertProblem(as(c.reader()).body(Map.of("restricted", true)).put(path).then(), 403);
        as(c.clinician()).body(Map.of("restricted", true)).put(path).then().statusCode(200).body("restricted", equalTo(true));
        // The clinician did not create it: restricting it closed it to them too.
        assertProblem(as(c.clinician()).get(path).then(), 403);
        as(c.admin()).body(Map.of("restricted", false)).put(path).then().statusCode(200).body("restricted", equalTo(false));
        as(c.clinician()).get(path).then().statusCode(200);
    }
}
