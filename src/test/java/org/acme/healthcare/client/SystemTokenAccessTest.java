package org.acme.healthcare.client;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.createDoctor;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.SmartClients;
import org.acme.healthcare.support.SmartClients.Client;
import org.acme.healthcare.support.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;

/**
 * What a system token reaches: within its scopes, the FHIR reads and searches of its client's
 * organization's patients, restricted ones included, and nothing else (another organization's or a
 * personal patient is 404, a write or an /api route 403); its reads are audited with the client as
 * the actor; a revoked client's token stops at once.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SystemTokenAccessTest {
    @Inject
    AuditLog audit;

    private TestUser admin;
    private long org;
    private long patient;
    private long restricted;
    private long personal;
    private long elsewhere;
    private String clientName;
    private Client client;
    private String token;

    /** Once per class, before the first test (RestAssured knows the test port only then). */
    @BeforeEach
    void records() {
        if (admin != null) {
            return;
        }
        admin = newUser();
        org = as(admin).body(Map.of("name", "Reach Clinic")).post("/api/organizations").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        patient = as(admin).body(Map.of("name", "Org Patient", "organizationId", org)).post("/api/patients").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        restricted = as(admin).body(Map.of("name", "Restricted Patient", "organizationId", org, "restricted", true,
                "disease", "Flu"))
                .post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
        as(admin).body(Map.of("text", "Asthma")).post("/api/patients/" + restricted + "/conditions").then().statusCode(201);
        personal = createPatient(admin, "Personal Patient");
        TestUser other = newUser();
        long otherOrg = as(other).body(Map.of("name", "Other Clinic")).post("/api/organizations").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        elsewhere = as(other).body(Map.of("name", "Elsewhere Patient", "organizationId", otherOrg)).post("/api/patients").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        clientName = "Warehouse of Reach " + org;
        client = new Client(as(admin).body(Map.of("name", clientName, "jwks", SmartClients.jwks(SmartClients.EC),
                "scope", "system/*.rs")).post("/api/organizations/" + org + "/clients").then().statusCode(201)
                .extract().jsonPath().getString("clientId"), org);
        token = SmartClients.token(client, "system/*.rs");
    }

    private static RequestSpecification with(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static void outcome(Response r, int status) {
        r.then().statusCode(status).contentType(startsWith("application/fhir+json")).body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void anotherOrganizationsOrAPersonalPatientIsNotFound() {
        outcome(with(token).get("/fhir/Patient/" + elsewhere), 404);
        outcome(with(token).get("/fhir/Patient/" + personal), 404);
        outcome(with(token).get("/fhir/Condition?patient=" + elsewhere), 404);
        outcome(with(token).get("/fhir/Patient/" + elsewhere + "/_history/0"), 404);
        outcome(with(token).get("/fhir/Organization/" + org), 403);
        with(token).get("/fhir/Patient").then().statusCode(200)
                .body("entry.resource.id", not(hasItem(String.valueOf(elsewhere))))
                .body("entry.resource.id", not(hasItem(String.valueOf(personal))));
        with(token).get("/fhir/Patient?_id=" + elsewhere + "," + personal).then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void aSystemTokenNeverWrites() {
        String patientBody = "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"Written\"}]}";
        outcome(with(token).contentType("application/fhir+json").body(patientBody).post("/fhir/Patient"), 403);
        outcome(with(token).contentType("application/fhir+json").body(patientBody.replace("{\"resourceType\"",
                "{\"id\":\"" + patient + "\",\"resourceType\"")).put("/fhir/Patient/" + patient), 403);
        outcome(with(token).delete("/fhir/Patient/" + patient), 403);
        outcome(with(token).contentType("application/fhir+json").body("{\"resourceType\":\"Condition\"}").post("/fhir/Condition"), 403);
        outcome(with(token).contentType("application/fhir+json").body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}")
                .post("/fhir"), 403);
        as(admin).get("/api/patients/" + patient).then().statusCode(200).body("name", equalTo("Org Patient"));
    }

    @Test
    void theRestApiIsNotForSystemTokens() {
        assertProblem(with(token).get("/api/patients/" + patient).then(), 403);
        assertProblem(with(token).get("/api/patients").then(), 403);
        assertProblem(with(token).get("/api/auth/me").then(), 403);
        assertProblem(with(token).get("/api/organizations/" + org + "/clients").then(), 403);
        assertProblem(with(token).contentType("application/json").body(Map.of("name", "Mine")).post("/api/organizations").then(), 403);
        assertProblem(with(token).get("/api/audit").then(), 403);
        assertProblem(with(token).post("/api/auth/logout").then(), 403);
    }

    @Test
    void itReadsItsOrganizationsPatientsRestrictedOnesIncluded() {
        with(token).get("/fhir/Patient/" + restricted).then().statusCode(200).body("id", equalTo(String.valueOf(restricted)));
        with(token).get("/fhir/Patient/" + patient).then().statusCode(200);
        with(token).get("/fhir/Patient/" + restricted + "/_history/0").then().statusCode(200);
        with(token).get("/fhir/Patient?_count=500&organization=" + org).then().statusCode(200)
                .body("entry.resource.id", hasItems(String.valueOf(patient), String.valueOf(restricted)));
        with(token).get("/fhir/Condition?patient=" + restricted).then().statusCode(200).body("total", greaterThanOrEqualTo(1));
        with(token).get("/fhir/Condition/d" + restricted).then().statusCode(200);
        with(token).get("/fhir/CareTeam?patient=" + restricted).then().statusCode(200);
        long doctor = createDoctor(admin, "Dr System", "Radiology");
        with(token).get("/fhir/Practitioner/" + doctor).then().statusCode(200);
        with(token).get("/fhir/metadata").then().statusCode(200);
    }

    @Test
    void scopesLimitWhatItReads() {
        Client narrow = SmartClients.register(admin, org, "system/Patient.r system/Condition.s");
        String t = SmartClients.token(narrow, "system/*.rs");
        with(t).get("/fhir/Patient/" + patient).then().statusCode(200);
        outcome(with(t).get("/fhir/Patient"), 403);
        with(t).get("/fhir/Condition?patient=" + restricted).then().statusCode(200);
        outcome(with(t).get("/fhir/Condition/d" + restricted), 403);
        outcome(with(t).get("/fhir/Practitioner"), 403);
        outcome(with(t).get("/fhir/CareTeam?patient=" + patient), 403);
        // Granted less than it holds: only what the token carries counts.
        String patientsOnly = SmartClients.token(narrow, "system/Patient.r");
        outcome(with(patientsOnly).get("/fhir/Condition?patient=" + restricted), 403);
    }

    @Test
    void itsReadsAreAuditedWithTheClientAsTheActor() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        with(token).get("/fhir/Patient/" + restricted).then().statusCode(200);
        with(token).get("/fhir/Patient?_id=" + restricted).then().statusCode(200);
        assertTrue(audit.flush(10_000));
        var report = as(admin).queryParam("from", before.toString()).get("/api/patients/" + restricted + "/access-report")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> byClient = report.getList("findAll { it.actor.type == 'client' }");
        assertTrue(byClient.size() >= 2, "the client's read and search are in the access report: " + report.prettify());
        for (Map<String, Object> e : byClient) {
            @SuppressWarnings("unchecked")
            Map<String, Object> actor = (Map<String, Object>) e.get("actor");
            assertTrue(clientName.equals(actor.get("name")), report.prettify());
            assertTrue(((Number) e.get("organizationId")).longValue() == org, report.prettify());
            assertTrue("fhir".equals(e.get("via")), report.prettify());
            assertTrue(Boolean.FALSE.equals(e.get("breakGlass")), report.prettify());
        }
        assertTrue(Set.of("read", "list").containsAll(byClient.stream().map(e -> e.get("action")).toList()));
    }

    @Test
    void tokenRequestsAreAuditedForTheOrganization() throws Exception {
        SmartClients.token(client, "system/Patient.rs");
        SmartClients.tokenRequest(SmartClients.assertion(client.clientId()), "system/Patient.write").then().statusCode(400);
        assertTrue(audit.flush(10_000));
        as(admin).get("/api/organizations/" + org + "/audit?recordType=client&size=500").then().statusCode(200)
                .body("findAll { it.action == 'token' }.outcome", hasItems("success", "denied"));
    }

    @Test
    void aForgedOrRevokedSystemTokenIsRefused() {
        Instant now = Instant.now();
        // Signed with the service's key but naming no registered client, or another subject than its client.
        String unknown = Jwt.issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).subject("sc_nobody").groups(Set.of("system"))
                .issuedAt(now).expiresAt(now.plusSeconds(200)).claim("client_id", "sc_nobody").claim("scope", "system/*.rs").sign();
        outcome(with(unknown).get("/fhir/Patient/" + patient), 401);
        String mismatched = Jwt.issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).subject("sc_nobody").groups(Set.of("system"))
                .issuedAt(now).expiresAt(now.plusSeconds(200)).claim("client_id", client.clientId()).claim("scope", "system/*.rs")
                .sign();
        outcome(with(mismatched).get("/fhir/Patient/" + patient), 401);
        String tooLong = Jwt.issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).subject(client.clientId()).groups(Set.of("system"))
                .issuedAt(now).expiresAt(now.plusSeconds(3000)).claim("client_id", client.clientId())
                .claim("scope", "system/*.rs").sign();
        outcome(with(tooLong).get("/fhir/Patient/" + patient), 401);
        // A user token that claims the system role is still a user's, and has no session: refused.
        outcome(with(Tokens.claims(admin.id(), "system").sign()).get("/fhir/Patient/" + patient), 401);

        Client revoked = SmartClients.register(admin, org, "system/*.rs");
        String t = SmartClients.token(revoked, "system/*.rs");
        with(t).get("/fhir/Patient/" + patient).then().statusCode(200);
        as(admin).delete("/api/organizations/" + org + "/clients/" + revoked.clientId()).then().statusCode(204);
        outcome(with(t).get("/fhir/Patient/" + patient), 401);
        outcome(with(t).get("/fhir/Patient"), 401);
    }
}
