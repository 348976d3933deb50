package org.acme.healthcare.export;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.export.ExportSupport.FHIR_JSON;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.body;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.acme.healthcare.support.Api;
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
 * Every Bulk Data route against every kind of caller, each row the status that the contract
 * ("System clients", part 2) and docs/bulk-export.md ("Export: who may export what") give it:
 * kick-off at system, Patient and Group level by GET and POST, status, cancel and file download.
 * Refusals first in every list. Each route's whole matrix is checked before the test fails, so a
 * failure names every row that answered otherwise ({@code route caller: expected X, got Y}).
 */
@QuarkusTest
class ExportRoleMatrixTest {
    private static final String PARAMETERS = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"_type\",\"valueString\":\"Patient\"}]}";

    @Inject
    AgroalDataSource db;

    /** A caller: a name for the report and its bearer token (none: anonymous). */
    record Caller(String name, String token) {
        RequestSpecification request() {
            RequestSpecification r = given();
            return token == null ? r : r.header("Authorization", "Bearer " + token);
        }
    }

    /** The callers around one organization ({@code org}) and its system clients. */
    private final class World {
        final long org;
        final Caller anonymous = new Caller("anonymous", null);
        final Caller user;
        final Caller clinician;
        final Caller reader;
        final Caller orgAdmin;
        final Caller nonMember;
        final Caller platformAdmin;
        final Caller system;
        final Caller systemWithoutPatientScope;
        final Caller otherClient;
        final Caller otherOrganizationsClient;
        final Caller revokedClient;
        /** A job the revoked client kicked off before its revocation. */
        final String revokedClientsJob;

        World() {
            TestUser admin = newUser();
            org = OrgRows.create(db, "Matrix Clinic", admin.id());
            orgAdmin = new Caller("org admin", admin.token());
            TestUser c = newUser();
            OrgRows.join(db, org, c.id(), "clinician");
            clinician = new Caller("clinician (member)", c.token());
            TestUser r = newUser();
            OrgRows.join(db, org, r.id(), "reader");
            reader = new Caller("reader (member)", r.token());
            user = new Caller("user (no organization)", newUser().token());
            TestUser elsewhere = newUser();
            long otherOrg = OrgRows.create(db, "Other Matrix Clinic", elsewhere.id());
            nonMember = new Caller("non-member (another organization's admin)", elsewhere.token());
            platformAdmin = new Caller("platform admin", Api.admin().token());
            as(admin).body(body("name", "Matrix Patient", "organizationId", org, "disease", "Asthma")).post("/api/patients")
                    .then().statusCode(201);

            SmartClients.Client client = SmartClients.register(admin, org, "system/Patient.rs system/Condition.rs");
            system = new Caller("system client (system/*.rs)", SmartClients.token(client, "system/*.rs"));
            systemWithoutPatientScope = new Caller("same system client, token without Patient (system/Condition.rs)",
                    SmartClients.token(client, "system/Condition.rs"));
            otherClient = new Caller("another client of the organization",
                    SmartClients.token(SmartClients.register(admin, org, "system/*.rs"), "system/*.rs"));
            otherOrganizationsClient = new Caller("another organization's client",
                    SmartClients.token(SmartClients.register(elsewhere, otherOrg, "system/*.rs"), "system/*.rs"));
            SmartClients.Client revoked = SmartClients.register(admin, org, "system/*.rs");
            revokedClient = new Caller("revoked client", SmartClients.token(revoked, "system/*.rs"));
            revokedClientsJob = kickOff(revokedClient, "GET", "/fhir/Patient/$export").then().statusCode(202).extract()
                    .header("Content-Location");
            as(admin).delete("/api/organizations/" + org + "/clients/" + revoked.clientId()).then().statusCode(204);
        }
    }

    private static Response kickOff(Caller caller, String method, String path) {
        RequestSpecification r = caller.request().accept(FHIR_JSON).header("Prefer", "respond-async");
        return "GET".equals(method) ? r.queryParam("_type", "Patient").get(path)
                : r.contentType(FHIR_JSON).body(PARAMETERS).post(path);
    }

    /** The answer is {@code expected}, and an OperationOutcome in FHIR JSON unless it is a manifest, a file or a 202 of a status; else a line of the report. */
    private static void check(List<String> report, String route, Caller caller, int expected, Response response) {
        int got = response.statusCode();
        if (got != expected) {
            report.add(route + " " + caller.name() + ": expected " + expected + ", got " + got + " " + response.asString());
            return;
        }
        if (got >= 400 || route.contains("$export")) {
            String type = response.contentType();
            if (type == null || !type.startsWith(FHIR_JSON)
                    || !"OperationOutcome".equals(JsonPath.from(response.asString()).getString("resourceType"))) {
                report.add(route + " " + caller.name() + ": " + got + " without an OperationOutcome (" + type + ")");
            }
        }
    }

    private static void assertNoMismatch(List<String> report) {
        assertEquals("", String.join("\n", report), "rows that answered other than the contract says");
    }

    @Test
    void everyKickOffAnswersEachRoleAsTheContractSays() {
        World w = new World();
        List<String> report = new ArrayList<>();
        // System and Patient level: any signed-in role; a system token only for types its scopes read.
        List<Object[]> anyRole = List.of(
                new Object[] { w.anonymous, 401 }, new Object[] { w.revokedClient, 401 },
                new Object[] { w.systemWithoutPatientScope, 403 },
                new Object[] { w.user, 202 }, new Object[] { w.clinician, 202 }, new Object[] { w.reader, 202 },
                new Object[] { w.nonMember, 202 }, new Object[] { w.orgAdmin, 202 }, new Object[] { w.platformAdmin, 202 },
                new Object[] { w.system, 202 }, new Object[] { w.otherClient, 202 }, new Object[] { w.otherOrganizationsClient, 202 });
        // Group level: its organization's members and clients; anyone else 404, as if it did not exist.
        List<Object[]> members = List.of(
                new Object[] { w.anonymous, 401 }, new Object[] { w.revokedClient, 401 },
                new Object[] { w.user, 404 }, new Object[] { w.nonMember, 404 }, new Object[] { w.platformAdmin, 404 },
                new Object[] { w.otherOrganizationsClient, 404 },
                new Object[] { w.systemWithoutPatientScope, 403 },
                new Object[] { w.clinician, 202 }, new Object[] { w.reader, 202 }, new Object[] { w.orgAdmin, 202 },
                new Object[] { w.system, 202 }, new Object[] { w.otherClient, 202 });
        for (String method : List.of("GET", "POST")) {
            for (String path : List.of("/fhir/$export", "/fhir/Patient/$export", "/fhir/Group/" + w.org + "/$export")) {
                for (Object[] row : path.startsWith("/fhir/Group") ? members : anyRole) {
                    Caller caller = (Caller) row[0];
                    Response r = kickOff(caller, method, path);
                    check(report, method + " " + path, caller, (Integer) row[1], r);
                    if (r.statusCode() == 202) {
                        // Its own job, cancelled by it at once (keeps the workers idle): 202.
                        check(report, "DELETE (own job)", caller, 202,
                                caller.request().accept(FHIR_JSON).delete(r.header("Content-Location")));
                    }
                }
            }
        }
        assertNoMismatch(report);
    }

    @Test
    void statusCancelAndFilesAreTheKickersAloneAsTheContractSays() {
        World w = new World();
        List<String> report = new ArrayList<>();
        // A user's job (the org admin's) and a system client's, both complete, each with a Patient file.
        String userJob = ExportSupport.accepted(kickOff(w.orgAdmin, "GET", "/fhir/Group/" + w.org + "/$export"));
        String clientJob = ExportSupport.accepted(kickOff(w.system, "GET", "/fhir/Group/" + w.org + "/$export"));
        String userFile = file(w.orgAdmin, userJob);
        String clientFile = file(w.system, clientJob);
        String revokedFile = w.revokedClientsJob.replace("/bulkstatus/", "/bulkfiles/") + "/0";

        List<Caller> strangersToUserJob = List.of(w.user, w.clinician, w.reader, w.nonMember, w.platformAdmin, w.system,
                w.systemWithoutPatientScope, w.otherClient, w.otherOrganizationsClient);
        List<Caller> strangersToClientJob = List.of(w.user, w.clinician, w.reader, w.nonMember, w.orgAdmin, w.platformAdmin,
                w.otherClient, w.otherOrganizationsClient);
        // No token or a revoked client's: 401, its own job included.
        for (Caller c : List.of(w.anonymous, w.revokedClient)) {
            for (String[] job : new String[][] { { userJob, userFile }, { clientJob, clientFile }, { w.revokedClientsJob, revokedFile } }) {
                check(report, "GET status", c, 401, c.request().accept(FHIR_JSON).get(job[0]));
                check(report, "GET file", c, 401, c.request().accept("application/fhir+ndjson").get(job[1]));
                check(report, "DELETE", c, 401, c.request().accept(FHIR_JSON).delete(job[0]));
            }
        }
        // Anyone but the kicker: 404, as if the job did not exist (an admin, its organization's admin, its organization's other client).
        for (Caller c : strangersToUserJob) {
            check(report, "GET status (org admin's job)", c, 404, c.request().accept(FHIR_JSON).get(userJob));
            check(report, "GET file (org admin's job)", c, 404, c.request().accept("application/fhir+ndjson").get(userFile));
            check(report, "DELETE (org admin's job)", c, 404, c.request().accept(FHIR_JSON).delete(userJob));
        }
        for (Caller c : strangersToClientJob) {
            check(report, "GET status (client's job)", c, 404, c.request().accept(FHIR_JSON).get(clientJob));
            check(report, "GET file (client's job)", c, 404, c.request().accept("application/fhir+ndjson").get(clientFile));
            check(report, "DELETE (client's job)", c, 404, c.request().accept(FHIR_JSON).delete(clientJob));
        }
        // The same client with a token whose scopes do not read Patient: its job's status, but not its Patient file (403).
        Caller narrow = w.systemWithoutPatientScope;
        check(report, "GET file (client's job)", narrow, 403, narrow.request().accept("application/fhir+ndjson").get(clientFile));
        check(report, "GET status (client's job)", narrow, 200, narrow.request().accept(FHIR_JSON).get(clientJob));
        // The kickers: 200 status and file.
        check(report, "GET status (own job)", w.orgAdmin, 200, w.orgAdmin.request().accept(FHIR_JSON).get(userJob));
        check(report, "GET file (own job)", w.orgAdmin, 200, w.orgAdmin.request().accept("application/fhir+ndjson").get(userFile));
        check(report, "GET status (own job)", w.system, 200, w.system.request().accept(FHIR_JSON).get(clientJob));
        check(report, "GET file (own job)", w.system, 200, w.system.request().accept("application/fhir+ndjson").get(clientFile));
        // Cancel: the kicker's (the client's, under either of its tokens), 202; then the job is gone for it too.
        check(report, "DELETE (own job)", w.orgAdmin, 202, w.orgAdmin.request().accept(FHIR_JSON).delete(userJob));
        check(report, "DELETE (client's job)", narrow, 202, narrow.request().accept(FHIR_JSON).delete(clientJob));
        for (Caller c : List.of(w.orgAdmin, w.system)) {
            String job = c == w.orgAdmin ? userJob : clientJob;
            String file = c == w.orgAdmin ? userFile : clientFile;
            check(report, "GET status (cancelled)", c, 404, c.request().accept(FHIR_JSON).get(job));
            check(report, "GET file (cancelled)", c, 404, c.request().accept("application/fhir+ndjson").get(file));
            check(report, "DELETE (cancelled)", c, 404, c.request().accept(FHIR_JSON).delete(job));
        }
        assertNoMismatch(report);
    }

    /**
     * Bulk Data clients SHOULD ask a status URL for {@code application/json} (SMART's test suite
     * does, and parses only that name): the export's OperationOutcomes then come under that name, the
     * same FHIR JSON; asked for FHIR JSON (or both, equally), {@code application/fhir+json}.
     */
    @Test
    void theExportsOutcomesComeAsTheJsonTypeTheClientAskedFor() {
        World w = new World();
        Caller c = w.orgAdmin;
        // Refusals first: a kick-off's 400 asked as application/json only (the kick-off needs FHIR JSON named) is plain JSON.
        Response refused = c.request().accept("application/json").header("Prefer", "respond-async").get("/fhir/Patient/$export");
        refused.then().statusCode(400).contentType(startsWith("application/json"));
        assertEquals("OperationOutcome", refused.jsonPath().getString("resourceType"));
        for (String accept : List.of("application/json", "application/fhir+json;q=0.5, application/json")) {
            String status = ExportSupport.accepted(kickOff(c, "GET", "/fhir/Patient/$export"));
            Response cancelled = c.request().accept(accept).delete(status);
            cancelled.then().statusCode(202).contentType(startsWith("application/json"));
            assertEquals("OperationOutcome", cancelled.jsonPath().getString("resourceType"));
            for (Response gone : List.of(c.request().accept(accept).delete(status), c.request().accept(accept).get(status))) {
                gone.then().statusCode(404).contentType(startsWith("application/json"));
                assertEquals("OperationOutcome", gone.jsonPath().getString("resourceType"));
                assertEquals("not-found", gone.jsonPath().getString("issue[0].code"));
            }
        }
        for (String accept : List.of(FHIR_JSON, "application/json, application/fhir+json", "*/*")) {
            String status = ExportSupport.accepted(kickOff(c, "GET", "/fhir/Patient/$export"));
            c.request().accept(accept).delete(status).then().statusCode(202).contentType(startsWith(FHIR_JSON));
            c.request().accept(accept).delete(status).then().statusCode(404).contentType(startsWith(FHIR_JSON));
        }
    }

    /** The manifest's first Patient file, once the job is complete. */
    private static String file(Caller owner, String status) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            Response r = owner.request().get(status);
            if (r.statusCode() == 200) {
                List<String> types = r.jsonPath().getList("output.type");
                assertTrue(types.contains("Patient"), types.toString());
                return r.jsonPath().getString("output[" + types.indexOf("Patient") + "].url");
            }
            assertEquals(202, r.statusCode(), r.asString());
            assertTrue(System.currentTimeMillis() < deadline, "the export did not finish within 60 s");
            ExportTest.sleep(100);
        }
    }
}
