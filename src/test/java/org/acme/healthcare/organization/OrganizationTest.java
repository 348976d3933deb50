package org.acme.healthcare.organization;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class OrganizationTest {
    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditLog audit;

    /** Every route with a body that passes validation, so only access decides the answer. */
    private record Call(String method, String path, Object body) {
        Response send(RequestSpecification spec) {
            if (body != null) {
                spec = spec.body(body);
            }
            return spec.request(method, path);
        }
    }

    private static List<Call> orgRoutes(long org, long member) {
        String o = "/api/organizations/" + org;
        return List.of(
                new Call("GET", o, null),
                new Call("PATCH", o, Map.of("name", "Renamed")),
                new Call("DELETE", o, null),
                new Call("POST", o + "/invitations", Map.of("role", "reader")),
                new Call("GET", o + "/members", null),
                new Call("PATCH", o + "/members/" + member, Map.of("role", "reader")),
                new Call("DELETE", o + "/members/" + member, null),
                new Call("GET", o + "/audit", null));
    }

    // ------------------------------------------------------------------ refusals first

    @Test
    void everyRouteWithoutATokenIs401() {
        TestUser owner = newUser();
        long org = Orgs.create(owner, "Tokenless");
        List<Call> calls = new java.util.ArrayList<>(orgRoutes(org, owner.id()));
        calls.add(new Call("POST", "/api/organizations", Map.of("name", "X")));
        calls.add(new Call("GET", "/api/organizations", null));
        calls.add(new Call("POST", "/api/invitations/accept", Map.of("code", "x")));
        for (Call c : calls) {
            assertProblem(c.send(given().contentType(ContentType.JSON)).then(), 401);
        }
        as(owner).get("/api/organizations/" + org).then().statusCode(200);
    }

    @Test
    void aNonMemberGetsTheSame404AsForAnUnknownOrganizationOnEveryRoute() {
        TestUser owner = newUser();
        long org = Orgs.create(owner, "Private Clinic");
        // A platform admin who is not a member is a non-member like any other.
        for (TestUser outsider : List.of(newUser(), admin())) {
            List<Call> real = orgRoutes(org, owner.id());
            List<Call> unknown = orgRoutes(Long.MAX_VALUE, owner.id());
            for (int i = 0; i < real.size(); i++) {
                var notMine = withoutInstance(assertProblem(real.get(i).send(as(outsider)).then(), 404).extract().jsonPath().getMap(""));
                var missing = withoutInstance(assertProblem(unknown.get(i).send(as(outsider)).then(), 404).extract().jsonPath().getMap(""));
                assertEquals(missing, notMine, real.get(i).method() + " " + real.get(i).path());
            }
        }
        // Nothing happened: still there, still named so, the owner still its admin.
        as(owner).get("/api/organizations/" + org).then().statusCode(200)
                .body("name", equalTo("Private Clinic")).body("role", equalTo("admin"));
    }

    private static Map<String, Object> withoutInstance(Map<String, Object> problem) {
        var copy = new HashMap<>(problem);
        copy.remove("instance");
        return copy;
    }

    @Test
    void readersAndCliniciansGet403OnAdminRoutes() {
        TestUser owner = newUser();
        long org = Orgs.create(owner, "Roles Clinic");
        for (String role : List.of("reader", "clinician")) {
            TestUser member = newUser();
            Orgs.join(owner, org, member, role);
            String o = "/api/organizations/" + org;
            assertProblem(as(member).body(Map.of("name", "Mine now")).patch(o).then(), 403);
            assertProblem(as(member).delete(o).then(), 403);
            assertProblem(as(member).body(Map.of("role", "admin")).post(o + "/invitations").then(), 403);
            assertProblem(as(member).body(Map.of("role", "admin")).patch(o + "/members/" + member.id()).then(), 403);
            assertProblem(as(member).body(Map.of("role", "reader")).patch(o + "/members/" + owner.id()).then(), 403);
            assertProblem(as(member).delete(o + "/members/" + owner.id()).then(), 403);
            assertProblem(as(member).get(o + "/audit").then(), 403);
            // What a member may do.
            as(member).get(o).then().statusCode(200).body("role", equalTo(role));
            as(member).get(o + "/members").then().statusCode(200);
        }
        as(owner).get("/api/organizations/" + org).then().statusCode(200).body("name", equalTo("Roles Clinic"));
    }

    @Test
    void badBodiesAndParametersAre400() {
        TestUser owner = newUser();
        long org = Orgs.create(owner, "Validation Clinic");
        String o = "/api/organizations/" + org;
        assertProblem(as(owner).body("{}").post("/api/organizations").then(), 400).body("errors[0].field", equalTo("name"));
        assertProblem(as(owner).body(Map.of("name", " \u00a0\u200b ")).post("/api/organizations").then(), 400);
        assertProblem(as(owner).body(Map.of("name", "x".repeat(201))).post("/api/organizations").then(), 400);
        assertProblem(as(owner).body(Map.of("name", "Ada \u202Eecalevol")).post("/api/organizations").then(), 400);
        assertProblem(as(owner).body("{\"name\":12}").post("/api/organizations").then(), 400);
        assertProblem(as(owner).body("{\"name\":null}").patch(o).then(), 400);
        assertProblem(as(owner).body(Map.of("name", " ")).patch(o).then(), 400);
        for (String body : List.of("{}", "{\"role\":null}", "{\"role\":\"owner\"}", "{\"role\":\"ADMIN\"}", "{\"role\":1}")) {
            assertProblem(as(owner).body(body).post(o + "/invitations").then(), 400).body("errors[0].field", equalTo("role"));
            assertProblem(as(owner).body(body).patch(o + "/members/" + owner.id()).then(), 400).body("errors[0].field", equalTo("role"));
        }
        assertProblem(as(owner).body("{\"role\":\"owner\"}").post(o + "/invitations").then(), 400)
                .body("errors[0].message", containsString("admin, clinician, reader"));
        for (String body : List.of("{}", "{\"code\":\"\"}", "{\"code\":null}", "{\"code\":12}", "{\"code\":\"" + "a".repeat(129) + "\"}")) {
            assertProblem(as(owner).body(body).post("/api/invitations/accept").then(), 400).body("errors[0].field", equalTo("code"));
        }
        assertProblem(as(owner).get("/api/organizations/0").then(), 400);
        assertProblem(as(owner).get("/api/organizations/abc").then(), 400);
        assertProblem(as(owner).body(Map.of("role", "reader")).patch(o + "/members/0").then(), 400);
        assertProblem(as(owner).delete(o + "/members/abc").then(), 400);
        assertProblem(as(owner).queryParam("page", -1).get("/api/organizations").then(), 400);
        assertProblem(as(owner).queryParam("size", 501).get(o + "/members").then(), 400);
        assertProblem(as(owner).queryParam("from", "yesterday").get(o + "/audit").then(), 400);
        assertProblem(as(owner).queryParam("recordType", "doctor").get(o + "/audit").then(), 400);
        assertProblem(as(owner).header("If-Match", "3").body(Map.of("name", "Unquoted")).patch(o).then(), 400);
        // Unknown fields are ignored, as elsewhere: a createdBy or role in the body changes nothing.
        as(owner).body(Map.of("name", "Extra", "createdBy", 1, "role", "reader")).post("/api/organizations")
                .then().statusCode(201).body("role", equalTo("admin"));
        as(owner).get(o).then().statusCode(200).body("name", equalTo("Validation Clinic"));
    }

    @Test
    void anUnknownMemberIsNotFound() {
        TestUser owner = newUser();
        TestUser stranger = newUser();
        long org = Orgs.create(owner, "Members Clinic");
        String o = "/api/organizations/" + org;
        assertProblem(as(owner).body(Map.of("role", "reader")).patch(o + "/members/" + stranger.id()).then(), 404);
        assertProblem(as(owner).delete(o + "/members/" + stranger.id()).then(), 404);
        assertProblem(as(owner).delete(o + "/members/" + Long.MAX_VALUE).then(), 404);
        // Removing a non-member never makes them one, nor shows them.
        as(owner).get(o + "/members").then().statusCode(200).header("X-Total-Count", "1");
    }

    // ------------------------------------------------------------------ organizations

    @Test
    void theCreatorIsItsFirstAdminAndSeesItInTheirList() {
        TestUser owner = newUser();
        Response created = as(owner).body(Map.of("name", "  Riverside Clinic ")).post("/api/organizations");
        created.then().statusCode(201)
                .header("Location", matchesPattern(".*/api/organizations/\\d+"))
                .header("ETag", equalTo("\"0\""))
                .body("name", equalTo("Riverside Clinic"))
                .body("role", equalTo("admin"))
                .body("createdAt", notNullValue());
        long id = created.jsonPath().getLong("id");
        as(owner).get("/api/organizations/" + id).then().statusCode(200).header("ETag", equalTo("\"0\""))
                .body("id", equalTo((int) id)).body("role", equalTo("admin"));
        long second = Orgs.create(owner, "Second Clinic");
        as(owner).queryParam("size", 1).get("/api/organizations").then().statusCode(200)
                .header("X-Total-Count", "2")
                .header("Link", containsString("rel=\"next\""))
                .body("size()", equalTo(1)).body("[0].id", equalTo((int) id)).body("[0].role", equalTo("admin"));
        as(owner).queryParam("size", 1).queryParam("page", 1).get("/api/organizations").then().statusCode(200)
                .body("[0].id", equalTo((int) second));
        // Another user's list does not show it.
        as(newUser()).get("/api/organizations").then().statusCode(200).header("X-Total-Count", "0").body("size()", equalTo(0));
        as(owner).get("/api/organizations/" + id + "/members").then().statusCode(200)
                .body("[0].userId", equalTo((int) owner.id())).body("[0].email", equalTo(owner.email()))
                .body("[0].role", equalTo("admin")).body("[0].joinedAt", notNullValue());
    }

    @Test
    void renameHonoursIfMatch() {
        TestUser owner = newUser();
        long org = Orgs.create(owner, "Old Name");
        String o = "/api/organizations/" + org;
        assertProblem(as(owner).header("If-Match", "\"7\"").body(Map.of("name", "Stale")).patch(o).then(), 412);
        as(owner).header("If-Match", "\"0\"").body(Map.of("name", "New Name")).patch(o).then().statusCode(200)
                .header("ETag", equalTo("\"1\"")).body("name", equalTo("New Name")).body("role", equalTo("admin"));
        assertProblem(as(owner).header("If-Match", "\"0\"").body(Map.of("name", "Lost update")).patch(o).then(), 412);
        as(owner).body("{}").patch(o).then().statusCode(200).header("ETag", equalTo("\"1\"")).body("name", equalTo("New Name"));
        as(owner).get(o).then().body("name", equalTo("New Name"));
    }

    @Test
    void anOrganizationHoldingAPatientCannotBeDeleted() throws Exception {
        TestUser owner = newUser();
        long org = Orgs.create(owner, "Busy Clinic");
        long patient = insertPatient(owner.id(), org);
        assertProblem(as(owner).delete("/api/organizations/" + org).then(), 409);
        as(owner).get("/api/organizations/" + org).then().statusCode(200);
        sql("delete from patients where id = " + patient);
        as(owner).delete("/api/organizations/" + org).then().statusCode(204);
        assertProblem(as(owner).get("/api/organizations/" + org).then(), 404);
        assertEquals(0, count("select count(*) from memberships where organization_id = " + org));
    }

    @Test
    void deleteHonoursIfMatch() {
        TestUser owner = newUser();
        long org = Orgs.create(owner, "Precondition Clinic");
        assertProblem(as(owner).header("If-Match", "\"5\"").delete("/api/organizations/" + org).then(), 412);
        as(owner).header("If-Match", "\"0\"").delete("/api/organizations/" + org).then().statusCode(204);
    }

    // ------------------------------------------------------------------ invitations

    @Test
    void anInvitationCodeIsLongRandomAndStoredOnlyAsItsHash() throws Exception {
        TestUser owner = newUser();
        long org = Orgs.create(owner, "Secret Clinic");
        var body = as(owner).body(Map.of("role", "clinician")).post("/api/organizations/" + org + "/invitations")
                .then().statusCode(201).body("role", equalTo("clinician")).body("expiresAt", notNullValue())
                .extract().jsonPath();
        String code = body.getString("code");
        byte[] decoded = Base64.getUrlDecoder().decode(code);
        assertTrue(decoded.length >= 16, "at least 128 bits: " + decoded.length + " bytes");
        assertFalse(code.contains("="), "base64url without padding");
        String other = Orgs.invite(owner, org, "clinician");
        assertFalse(code.equals(other));
        long id = body.getLong("id");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, count("select count(*) from invitations where id = " + id + " and code_hash = '" + sha + "'"));
        // The code is nowhere in the database: not in the invitation, not in the audit trail.
        assertEquals(0, count("select count(*) from invitations i where position('" + code + "' in i::text) > 0"));
        assertEquals(0, count("select count(*) from audit_events e where position('" + code + "' in e::text) > 0"));
    }

    @Test
    void acceptingMakesAMemberWithTheInvitedRoleAndSpendsTheCode() {
        TestUser owner = newUser();
        TestUser joiner = newUser();
        long org = Orgs.create(owner, "Joining Clinic");
        String code = Orgs.invite(owner, org, "clinician");
        as(joiner).body(Map.of("code", code)).post("/api/invitations/accept").then().statusCode(200)
                .body("organizationId", equalTo((int) org)).body("role", equalTo("clinician"));
        as(joiner).get("/api/organizations/" + org).then().statusCode(200).body("role", equalTo("clinician"));
        as(joiner).get("/api/organizations").then().body("id", hasItem((int) org));
        as(owner).get("/api/organizations/" + org + "/members").then().header("X-Total-Count", "2")
                .body("find { it.userId == " + joiner.id() + " }.role", equalTo("clinician"));
        // Used: the same 404 as an unknown code, for anyone.
        var used = assertProblem(as(newUser()).body(Map.of("code", code)).post("/api/invitations/accept").then(), 404)
                .extract().jsonPath().getString("detail");
        var unknown = assertProblem(as(newUser()).body(Map.of("code", "no-such-code")).post("/api/invitations/accept").then(), 404)
                .extract().jsonPath().getString("detail");
        assertEquals(unknown, used);
    }

    @Test
    void anExpiredCodeIsTheSame404AsAnUnknownOne() throws Exception {
        TestUser owner = newUser();
        long org = Orgs.create(owner, "Expiring Clinic");
        String code = Orgs.invite(owner, org, "reader");
        sql("update invitations set expires_at = now() - interval '1 second', created_at = now() - interval '8 days'"
                + " where organization_id = " + org);
        TestUser late = newUser();
        var expired = assertProblem(as(late).body(Map.of("code", code)).post("/api/invitations/accept").then(), 404)
                .extract().jsonPath().getMap("");
        var unknown = assertProblem(as(late).body(Map.of("code", code + "x")).post("/api/invitations/accept").then(), 404)
                .extract().jsonPath().getMap("");
        assertEquals(unknown, expired);
        assertProblem(as(late).get("/api/organizations/" + org).then(), 404);
    }

    @Test
    void acceptingWhileAlreadyAMemberIs409AndLeavesTheCodeUnused() {
        TestUser owner = newUser();
        long org = Orgs.create(owner, "Twice Clinic");
        String code = Orgs.invite(owner, org, "admin");
        assertProblem(as(owner).body(Map.of("code", code)).post("/api/invitations/accept").then(), 409);
        as(owner).get("/api/organizations/" + org).then().body("role", equalTo("admin"));
        TestUser joiner = newUser();
        as(joiner).body(Map.of("code", code)).post("/api/invitations/accept").then().statusCode(200).body("role", equalTo("admin"));
    }

    // ------------------------------------------------------------------ members

    @Test
    void theLastAdminCannotBeDemotedOrLeave() {
        TestUser owner = newUser();
        TestUser clinician = newUser();
        long org = Orgs.create(owner, "Last Admin Clinic");
        Orgs.join(owner, org, clinician, "clinician");
        String o = "/api/organizations/" + org;
        assertProblem(as(owner).body(Map.of("role", "clinician")).patch(o + "/members/" + owner.id()).then(), 409);
        assertProblem(as(owner).delete(o + "/members/" + owner.id()).then(), 409);
        as(owner).get(o).then().body("role", equalTo("admin"));
        // With a second admin, the first may step down; then the second is the last one.
        as(owner).body(Map.of("role", "admin")).patch(o + "/members/" + clinician.id()).then().statusCode(200)
                .body("userId", equalTo((int) clinician.id())).body("role", equalTo("admin"))
                .body("email", equalTo(clinician.email()));
        as(owner).delete(o + "/members/" + owner.id()).then().statusCode(204);
        assertProblem(as(owner).get(o).then(), 404);
        assertProblem(as(clinician).body(Map.of("role", "reader")).patch(o + "/members/" + clinician.id()).then(), 409);
        assertProblem(as(clinician).delete(o + "/members/" + clinician.id()).then(), 409);
    }

    @Test
    void aRemovedOrLeavingMemberLosesAccessAtOnce() {
        TestUser owner = newUser();
        TestUser removed = newUser();
        TestUser leaver = newUser();
        long org = Orgs.create(owner, "Revocation Clinic");
        Orgs.join(owner, org, removed, "clinician");
        Orgs.join(owner, org, leaver, "reader");
        String o = "/api/organizations/" + org;
        as(removed).get(o).then().statusCode(200);
        as(owner).delete(o + "/members/" + removed.id()).then().statusCode(204);
        assertProblem(as(removed).get(o).then(), 404);
        assertProblem(as(removed).get(o + "/members").then(), 404);
        as(leaver).delete(o + "/members/" + leaver.id()).then().statusCode(204);
        assertProblem(as(leaver).get(o).then(), 404);
        as(owner).get(o + "/members").then().header("X-Total-Count", "1");
    }

    @Test
    void aRoleChangeHoldsOnTheNextRequest() {
        TestUser owner = newUser();
        TestUser member = newUser();
        long org = Orgs.create(owner, "Promotion Clinic");
        Orgs.join(owner, org, member, "reader");
        String o = "/api/organizations/" + org;
        assertProblem(as(member).get(o + "/audit").then(), 403);
        as(owner).body(Map.of("role", "admin")).patch(o + "/members/" + member.id()).then().statusCode(200);
        as(member).get(o + "/audit").then().statusCode(200);
        as(owner).body(Map.of("role", "reader")).patch(o + "/members/" + member.id()).then().statusCode(200).body("role", equalTo("reader"));
        assertProblem(as(member).get(o + "/audit").then(), 403);
    }

    // ------------------------------------------------------------------ audit

    @Test
    void everyMembershipChangeIsAuditedWithTheOrganization() throws Exception {
        TestUser owner = newUser();
        TestUser removed = newUser();
        TestUser leaver = newUser();
        long org = Orgs.create(owner, "Audited Clinic");
        String o = "/api/organizations/" + org;
        String code = Orgs.invite(owner, org, "clinician");
        as(removed).body(Map.of("code", code)).post("/api/invitations/accept").then().statusCode(200);
        Orgs.join(owner, org, leaver, "reader");
        as(owner).body(Map.of("role", "reader")).patch(o + "/members/" + removed.id()).then().statusCode(200);
        as(owner).body(Map.of("name", "Audited Clinic 2")).patch(o).then().statusCode(200);
        as(owner).delete(o + "/members/" + removed.id()).then().statusCode(204);
        as(leaver).delete(o + "/members/" + leaver.id()).then().statusCode(204);
        assertTrue(audit.flush(10_000));

        var events = as(owner).queryParam("size", 500).get(o + "/audit").then().statusCode(200)
                .header("X-Total-Count", "9").extract().jsonPath();
        assertEquals(List.of("leave", "remove", "update", "role_change", "join", "invite", "join", "invite", "create"),
                events.getList("action"));
        assertEquals(List.of(org), events.getList("organizationId", Long.class).stream().distinct().toList());
        assertEquals(List.of("organization"), events.getList("recordType", String.class).stream().distinct().toList());
        assertEquals(List.of(org), events.getList("recordId", Long.class).stream().distinct().toList());
        assertEquals(Map.of("userId", (int) leaver.id(), "role", "reader"), events.getMap("[0].detail"));
        assertEquals(Map.of("userId", (int) removed.id(), "role", "reader"), events.getMap("[1].detail"));
        assertEquals(Map.of("before", "clinician", "after", "reader"), events.getMap("[3].detail.role"));
        assertEquals("clinician", events.getString("[7].detail.role"));
        assertEquals(Integer.valueOf((int) removed.id()), events.get("[6].detail.userId"));
        assertEquals(List.of((int) owner.id(), (int) removed.id(), (int) owner.id(), (int) leaver.id()),
                List.of(events.getInt("[2].actorId"), events.getInt("[6].actorId"), events.getInt("[7].actorId"), events.getInt("[0].actorId")));
        // The invitation's event names it and its role, never its code.
        as(owner).get(o + "/audit").then().body(not(containsString(code)));
        // The filters of /api/audit apply.
        as(owner).queryParam("actor", leaver.id()).get(o + "/audit").then().statusCode(200)
                .header("X-Total-Count", "2").body("action", equalTo(List.of("leave", "join")));
        // The platform's audit shows the same events with their organization.
        as(admin()).queryParam("recordType", "organization").queryParam("recordId", org).get("/api/audit").then()
                .statusCode(200).header("X-Total-Count", "9");
        // A former member, and a reader, see none of it.
        assertProblem(as(leaver).get(o + "/audit").then(), 404);
    }

    @Test
    void deletingAnOrganizationIsAudited() throws Exception {
        TestUser owner = newUser();
        long org = Orgs.create(owner, "Short-lived Clinic");
        as(owner).delete("/api/organizations/" + org).then().statusCode(204);
        assertTrue(audit.flush(10_000));
        as(admin()).queryParam("recordType", "organization").queryParam("recordId", org).get("/api/audit").then()
                .statusCode(200).body("action", equalTo(List.of("delete", "create")))
                .body("organizationId", equalTo(List.of((int) org, (int) org)));
    }

    // ------------------------------------------------------------------ SQL

    private long insertPatient(long ownerId, long org) throws Exception {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement(
                "insert into patients (owner_id, name, organization_id) values (?, 'Org Patient', ?) returning id")) {
            st.setLong(1, ownerId);
            st.setLong(2, org);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void sql(String statement) throws Exception {
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    private long count(String query) throws Exception {
        try (var c = dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
