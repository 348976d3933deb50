package org.acme.healthcare.export;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.export.ExportSupport.FHIR_JSON;
import static org.acme.healthcare.export.ExportSupport.accepted;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.body;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.acme.healthcare.fhir.UsCoreValidator;
import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.OrgRows;
import org.acme.healthcare.support.SmartClients;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Exports with a system client's token (SMART Backend Services): its organization's patients,
 * restricted ones included, and nothing else; only the types its scopes read; its jobs are its own
 * (not its organization's users', not another client's); audited with the client as the actor.
 * Refusals first.
 */
@QuarkusTest
class ExportSystemClientTest {
    @Inject
    AgroalDataSource db;

    private static RequestSpecification client(String token) {
        return given().header("Authorization", "Bearer " + token).accept(FHIR_JSON).header("Prefer", "respond-async");
    }

    private static JsonPath manifest(String token, String status) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            Response r = given().header("Authorization", "Bearer " + token).get(status);
            if (r.statusCode() == 200) {
                return r.jsonPath();
            }
            assertEquals(202, r.statusCode(), r.asString());
            assertTrue(System.currentTimeMillis() < deadline);
            ExportTest.sleep(100);
        }
    }

    private static Set<String> ids(String token, JsonPath manifest, String type) {
        Set<String> ids = new HashSet<>();
        List<Map<String, Object>> output = manifest.getList("output");
        for (Map<String, Object> file : output) {
            if (!type.equals(file.get("type"))) {
                continue;
            }
            String body = given().header("Authorization", "Bearer " + token).accept("application/fhir+ndjson")
                    .get((String) file.get("url")).then().statusCode(200).extract().asString();
            for (String line : body.split("\n")) {
                UsCoreValidator.assertUsCore(line);
                assertTrue(ids.add(JsonPath.from(line).getString("id")));
            }
        }
        return ids;
    }

    @Test
    void aSystemTokenNeedsScopesForWhatItExportsAndItsOwnGroup() {
        TestUser admin = newUser();
        long org = OrgRows.create(db, "Client Clinic", admin.id());
        long other = OrgRows.create(db, "Other Clinic", admin.id());
        as(admin).body(body("name", "Scoped Patient", "organizationId", org, "disease", "Asthma")).post("/api/patients")
                .then().statusCode(201);
        SmartClients.Client patientsOnly = SmartClients.register(admin, org, "system/Patient.rs");
        String token = SmartClients.token(patientsOnly, "system/Patient.rs");
        // Conditions are not in its scopes: asking for them is a 403; another organization's Group a 404.
        ExportTest.outcome(client(token).queryParam("_type", "Condition").get("/fhir/Patient/$export"), 403);
        ExportTest.outcome(client(token).queryParam("_type", "Patient,Condition").get("/fhir/$export"), 403);
        ExportTest.outcome(client(token).get("/fhir/Group/" + other + "/$export"), 404);
        // Without _type: the types its scopes read (the disease Condition is left out).
        JsonPath manifest = manifest(token, accepted(client(token).get("/fhir/Group/" + org + "/$export")));
        assertEquals(List.of("Patient"), manifest.getList("output.type"));
        assertEquals(1, ids(token, manifest, "Patient").size());
        // A token of the same client whose scopes no longer read Patient may not download the Patient file.
        SmartClients.Client both = SmartClients.register(admin, org, "system/Patient.rs system/Condition.rs");
        String bothToken = SmartClients.token(both, "system/*.rs");
        JsonPath done = manifest(bothToken, accepted(client(bothToken).queryParam("_type", "Patient").get("/fhir/Patient/$export")));
        ExportTest.outcome(given().header("Authorization", "Bearer " + SmartClients.token(both, "system/Condition.rs"))
                .accept("application/fhir+ndjson").get(done.getString("output[0].url")), 403);
        assertEquals(1, ids(bothToken, done, "Patient").size());
    }

    @Test
    void aClientExportsItsOrganizationsPatientsRestrictedIncludedAndItsJobsAreItsOwn() {
        TestUser admin = newUser();
        long org = OrgRows.create(db, "Exporting Clinic", admin.id());
        long open = as(admin).body(body("name", "Open Patient", "organizationId", org)).post("/api/patients")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long restricted = as(admin).body(body("name", "Restricted Patient", "organizationId", org, "restricted", true))
                .post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
        long personal = createPatient(admin, "Admin's Own");
        long elsewhere = createPatient(newUser(), "Someone Else's");
        SmartClients.Client client = SmartClients.register(admin, org, "system/*.rs");
        String token = SmartClients.token(client, "system/*.rs");

        String status = accepted(client(token).get("/fhir/Patient/$export"));
        JsonPath manifest = manifest(token, status);
        Set<String> exported = ids(token, manifest, "Patient");
        assertEquals(Set.of(String.valueOf(open), String.valueOf(restricted)), exported);
        assertFalse(exported.contains(String.valueOf(personal)) || exported.contains(String.valueOf(elsewhere)));

        // The organization's admin, and another client of the organization, do not see the client's job.
        SmartClients.Client another = SmartClients.register(admin, org, "system/*.rs");
        String anotherToken = SmartClients.token(another, "system/*.rs");
        ExportTest.outcome(given().header("Authorization", "Bearer " + admin.token()).get(status), 404);
        ExportTest.outcome(given().header("Authorization", "Bearer " + anotherToken).get(status), 404);
        ExportTest.outcome(given().header("Authorization", "Bearer " + anotherToken).accept("application/fhir+ndjson")
                .get(manifest.getString("output[0].url")), 404);
        ExportTest.outcome(given().header("Authorization", "Bearer " + anotherToken).delete(status), 404);
        // A fresh token of the same client is the same caller.
        assertEquals(200, given().header("Authorization", "Bearer " + SmartClients.token(client, "system/*.rs")).get(status)
                .statusCode());

        // One audit event, no user as its actor, the client in its detail, the two patients listed.
        ExportSupport.ExportAudit event = ExportSupport.audit(db, ExportSupport.job(status));
        assertEquals(null, event.actorId());
        assertEquals(client.clientId(), event.clientId());
        assertEquals(List.of(open, restricted), event.held());
        assertEquals(2, event.recordCount());
        assertEquals("export", event.via());
        // The restricted patient's access report names the client.
        as(admin).get("/api/patients/" + restricted + "/access-report").then().statusCode(200)
                .body("find { it.via == 'export' }.actor.type", equalTo("client"));
    }

    @Test
    void aRevokedClientsExportHoldsNothingMore() {
        TestUser admin = newUser();
        long org = OrgRows.create(db, "Revoking Clinic", admin.id());
        as(admin).body(body("name", "A Patient", "organizationId", org)).post("/api/patients").then().statusCode(201);
        SmartClients.Client client = SmartClients.register(admin, org, "system/*.rs");
        String token = SmartClients.token(client, "system/*.rs");
        Long job = null;
        for (int attempt = 0; attempt < 20 && job == null; attempt++) {
            String status = accepted(client(token).get("/fhir/Patient/$export"));
            // Held back from the workers until the client is revoked (else: try again).
            try (var c = db.getConnection(); var ps = c.prepareStatement("update export_jobs set status = 'running',"
                    + " lease_owner = 'held', lease_expires_at = now() + interval '1 hour' where id = ? and status = 'pending'")) {
                ps.setObject(1, ExportSupport.job(status));
                job = ps.executeUpdate() == 1 ? ExportSupport.job(status) : null;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        assertTrue(job != null, "the worker always took the job first");
        as(admin).delete("/api/organizations/" + org + "/clients/" + client.clientId()).then().statusCode(204);
        assertEquals(401, given().header("Authorization", "Bearer " + token).get("/fhir/bulkstatus/" + job).statusCode());
        // The job runs after the revocation: the access rule reads the client row with the records, so it holds nothing.
        OrgRows.update(db, "update export_jobs set lease_expires_at = now() - interval '1 second' where id = ?", job);
        long deadline = System.currentTimeMillis() + 30_000;
        while (!"complete".equals(OrgRows.single(db, "select status from export_jobs where id = ?", job))) {
            assertTrue(System.currentTimeMillis() < deadline, "the job did not complete");
            ExportTest.sleep(100);
        }
        assertEquals(0L, ((Number) OrgRows.single(db, "select count(*) from export_chunks where job_id = ?", job)).longValue());
        assertEquals(0, held(job), "the audit event lists no patient");
    }

    /** How many patients the job's audit event lists (it has one). */
    private int held(long job) {
        ExportSupport.ExportAudit event = ExportSupport.audit(db, job);
        assertEquals(event.held().size(), event.recordCount());
        return event.held().size();
    }
}
