package org.acme.healthcare.patient;

import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.createDoctor;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.Orgs;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Contract part 2, "Patients of an organization": creation, lists, moving in, and what the audit names. */
@QuarkusTest
class OrganizationPatientsTest {
    @Inject
    AgroalDataSource db;

    @Inject
    AuditLog audit;

    private static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void creatingInAnOrganizationNeedsAWritingMember() {
        TestUser admin = newUser();
        TestUser reader = newUser();
        TestUser outsider = newUser();
        long org = Orgs.create(db, "Create clinic", admin.id());
        Orgs.join(db, org, reader.id(), "reader");

        assertProblem(as(outsider).body(body("name", "X", "organizationId", org)).post("/api/patients").then(), 404);
        assertProblem(as(reader).body(body("name", "X", "organizationId", org)).post("/api/patients").then(), 403);
        assertProblem(as(admin).body(body("name", "X", "organizationId", Long.MAX_VALUE)).post("/api/patients").then(), 404);
        assertProblem(as(admin).body(body("name", "X", "organizationId", 0)).post("/api/patients").then(), 400);
        assertProblem(as(admin).body(body("name", "X", "organizationId", "seven")).post("/api/patients").then(), 400);
        // restricted only makes sense inside an organization
        assertProblem(as(admin).body(body("name", "X", "restricted", true)).post("/api/patients").then(), 400)
                .body("errors.field", hasItem("restricted"));

        as(admin).body(body("name", "Org patient", "organizationId", org)).post("/api/patients").then().statusCode(201)
                .body("organizationId", equalTo((int) org)).body("restricted", equalTo(false));
        as(admin).body(body("name", "Personal")).post("/api/patients").then().statusCode(201)
                .body("organizationId", nullValue());
    }

    @Test
    void anotherOrganizationsPatientIsExactlyAsInvisibleAsNoPatient() {
        TestUser admin = newUser();
        TestUser other = newUser();
        long org = Orgs.create(db, "Hidden clinic", admin.id());
        Orgs.create(db, "Other clinic", other.id());
        long hidden = as(admin).body(body("name", "Hidden", "organizationId", org)).post("/api/patients").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        long missing = hidden + 1_000_000;

        Response a = as(other).get("/api/patients/" + hidden);
        Response b = as(other).get("/api/patients/" + missing);
        assertEquals(404, a.statusCode());
        assertEquals(stripInstance(b), stripInstance(a));
        for (String suffix : List.of("/history", "/history/0")) {
            assertEquals(stripInstance(as(other).get("/api/patients/" + missing + suffix)),
                    stripInstance(as(other).get("/api/patients/" + hidden + suffix)));
        }
        assertEquals(as(other).get("/api/mappings/" + missing).asString().replace(String.valueOf(missing), "ID"),
                as(other).get("/api/mappings/" + hidden).asString().replace(String.valueOf(hidden), "ID"));
        assertEquals(as(other).get("/fhir/Patient/" + missing).statusCode(), as(other).get("/fhir/Patient/" + hidden).statusCode());
        // The other user's list and its count do not move.
        as(other).get("/api/patients").then().statusCode(200).header("X-Total-Count", "0");
        assertProblem(as(other).get("/api/patients?organizationId=" + org).then(), 404);
        assertEquals(stripInstance(as(other).get("/api/patients?organizationId=" + Long.MAX_VALUE)),
                stripInstance(as(other).get("/api/patients?organizationId=" + org)));
    }

    private static Map<String, Object> stripInstance(Response r) {
        Map<String, Object> m = new HashMap<>(r.jsonPath().getMap("$"));
        m.remove("instance");
        m.put("status-line", r.statusCode());
        return m;
    }

    @Test
    void membersListTheirOrganizationsPatientsBesideTheirOwnAndCanNarrow() throws Exception {
        TestUser admin = newUser();
        TestUser clinician = newUser();
        long org = Orgs.create(db, "List clinic", admin.id());
        Orgs.join(db, org, clinician.id(), "clinician");
        long shared = as(admin).body(body("name", "Shared Ann", "organizationId", org)).post("/api/patients").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        long own = createPatient(clinician, "Own Ann");
        long adminsOwn = createPatient(admin, "Admins personal");

        List<Long> all = as(clinician).get("/api/patients").then().statusCode(200).header("X-Total-Count", "2")
                .extract().jsonPath().getList("id", Long.class);
        assertEquals(List.of(shared, own).stream().sorted().toList(), all.stream().sorted().toList());
        assertTrue(!all.contains(adminsOwn), "another member's personal patient stays personal");
        as(clinician).get("/api/patients?organizationId=" + org).then().statusCode(200).header("X-Total-Count", "1")
                .body("id", equalTo(List.of((int) shared)));
        as(clinician).get("/api/patients?q=ann&sort=name").then().statusCode(200).header("X-Total-Count", "2");
        assertProblem(as(clinician).get("/api/patients?organizationId=0").then(), 400);

        // The list is audited once per organization, each event naming it.
        audit.flush(5_000);
        Object organization = Orgs.single(db, "select organization_id from audit_events where action = 'list' and actor_id = ?"
                + " and record_ids @> array[?::bigint] order by occurred_at desc limit 1", clinician.id(), shared);
        assertEquals(org, organization);
        Object personal = Orgs.single(db, "select count(*) from audit_events where action = 'list' and actor_id = ?"
                + " and record_ids @> array[?::bigint] and organization_id is null", clinician.id(), own);
        assertTrue(((Long) personal) > 0);
    }

    @Test
    void anOwnerMovesAPersonalPatientInOnceAndItNeverLeaves() {
        TestUser owner = newUser();
        TestUser orgAdmin = newUser();
        long org = Orgs.create(db, "Move clinic", orgAdmin.id());
        long readOnly = Orgs.create(db, "Read-only clinic", orgAdmin.id());
        long foreign = Orgs.create(db, "Foreign clinic", newUser().id());
        Orgs.join(db, org, owner.id(), "clinician");
        Orgs.join(db, readOnly, owner.id(), "reader");
        long patient = createPatient(owner, "Mover");
        long doctor = createDoctor(owner, "Dr. Move", "Moving");
        long mapping = as(owner).body(body("patientId", patient, "doctorId", doctor)).post("/api/mappings").then()
                .statusCode(201).extract().jsonPath().getLong("id");

        // The org admin cannot see it yet: it is the owner's personal patient.
        assertProblem(as(orgAdmin).get("/api/patients/" + patient).then(), 404);
        assertProblem(as(owner).body(body("organizationId", foreign)).put("/api/patients/" + patient).then(), 404);
        assertProblem(as(owner).body(body("organizationId", readOnly)).put("/api/patients/" + patient).then(), 403);
        as(owner).body(body("organizationId", org)).put("/api/patients/" + patient).then().statusCode(200)
                .body("organizationId", equalTo((int) org));
        assertEquals(org, Orgs.single(db, "select organization_id from mappings where id = ?", mapping));

        as(orgAdmin).get("/api/patients/" + patient).then().statusCode(200);
        as(orgAdmin).get("/api/patients/" + patient + "/history").then().statusCode(200);
        // Never leaves: neither to null nor to another organization; the same one is fine.
        assertProblem(as(owner).body(body("organizationId", null)).put("/api/patients/" + patient).then(), 409);
        assertProblem(as(orgAdmin).body(body("organizationId", readOnly)).put("/api/patients/" + patient).then(), 409);
        as(owner).body(body("organizationId", org, "age", 40)).put("/api/patients/" + patient).then().statusCode(200);
        // A new mapping carries the organization too.
        long doctor2 = createDoctor(owner, "Dr. Move 2", "Moving");
        long mapping2 = as(orgAdmin).body(body("patientId", patient, "doctorId", doctor2)).post("/api/mappings").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        assertEquals(org, Orgs.single(db, "select organization_id from mappings where id = ?", mapping2));
    }

    @Test
    void everyAuditEventOnAnOrganizationPatientNamesTheOrganization() throws Exception {
        TestUser admin = newUser();
        long org = Orgs.create(db, "Audit clinic", admin.id());
        long patient = as(admin).body(body("name", "Audited", "organizationId", org)).post("/api/patients").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        as(admin).get("/api/patients/" + patient).then().statusCode(200);
        as(admin).body(body("age", 3)).put("/api/patients/" + patient).then().statusCode(200);
        as(admin).get("/api/patients/" + patient + "/history").then().statusCode(200);
        as(admin).get("/fhir/Patient/" + patient).then().statusCode(200);
        as(admin).delete("/api/patients/" + patient).then().statusCode(204);
        audit.flush(5_000);
        Object unnamed = Orgs.single(db, "select count(*) from audit_events where record_type = 'patient' and record_id = ?"
                + " and (organization_id is distinct from ?)", patient, org);
        assertEquals(0L, unnamed);
        Object named = Orgs.single(db, "select count(*) from audit_events where record_type = 'patient' and record_id = ?"
                + " and organization_id = ?", patient, org);
        assertTrue((Long) named >= 6, "create, read, update, history read, FHIR read, delete: " + named);
        assertProblem(as(admin).get("/api/patients/" + patient).then(), 404);
    }
}
