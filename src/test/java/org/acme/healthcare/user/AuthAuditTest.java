package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.loginBody;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.Api.uniqueEmail;
import static org.acme.healthcare.support.Api.withToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Authentication is audited: logins (success, failure, throttled), refreshes, session ends and
 * why, password changes, account changes with before and after, and refused admin routes, each
 * with the client address and never a password or token.
 */
@QuarkusTest
class AuthAuditTest {
    @Inject
    AuditLog audit;

    @Test
    void aFailedLoginIsAuditedWithTheNormalisedEmailAndNeverThePassword() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        TestUser user = newUser();
        String wrong = "wrong-" + java.util.UUID.randomUUID();
        login("  " + user.email().toUpperCase(java.util.Locale.ROOT) + " ", wrong).then().statusCode(401);
        String nobody = uniqueEmail();
        login(nobody, wrong).then().statusCode(401);

        List<Map<String, Object>> events = events("session", before, e -> "login".equals(e.get("action")));
        Map<String, Object> failed = only(events, e -> user.email().equals(detail(e).get("email")) && "denied".equals(e.get("outcome")));
        assertEquals("wrong_password", detail(failed).get("reason"));
        assertEquals(((Number) detail(failed).get("accountId")).longValue(), user.id());
        assertNull(failed.get("actorId"), "nobody logged in");
        assertNotNull(failed.get("clientAddress"));
        Map<String, Object> unknown = only(events, e -> nobody.equals(detail(e).get("email")));
        assertEquals("unknown_account", detail(unknown).get("reason"));
        assertFalse(events.toString().contains(wrong), "the password reached the audit");
    }

    @Test
    void aSuccessfulLoginIsAuditedAsTheStartOfItsSession() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        TestUser user = newUser();
        var pair = loginBody(user.email(), PASSWORD);
        long sid = SessionTest.sid(pair.getString("token"));
        Map<String, Object> login = only(events("session", before, e -> "login".equals(e.get("action"))),
                e -> Objects.equals(num(e.get("recordId")), sid));
        assertEquals("success", login.get("outcome"));
        assertEquals(user.id(), num(login.get("actorId")));
        assertEquals(user.email(), detail(login).get("email"));
        assertNotNull(login.get("requestId"));
        assertFalse(login.toString().contains(pair.getString("refreshToken")));
    }

    @Test
    void aThrottledLoginIsAudited() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        TestUser user = newUser();
        for (int i = 0; i < 5; i++) {
            login(user.email(), "wrong password " + i).then().statusCode(401);
        }
        login(user.email(), PASSWORD).then().statusCode(429);
        Map<String, Object> throttled = only(events("session", before, e -> "throttled".equals(e.get("outcome"))),
                e -> user.email().equals(detail(e).get("email")));
        assertTrue(((Number) detail(throttled).get("retryAfterSeconds")).longValue() > 0);
    }

    @Test
    void refreshLogoutAndRevocationAreAuditedWithWhyTheSessionEnded() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        TestUser user = newUser();
        var first = loginBody(user.email(), PASSWORD);
        long sid = SessionTest.sid(first.getString("token"));
        var next = given().contentType(ContentType.JSON).body(Map.of("refreshToken", first.getString("refreshToken")))
                .post("/api/auth/refresh").then().statusCode(200).extract().jsonPath();
        withToken(next.getString("token")).post("/api/auth/logout").then().statusCode(204);
        long revoked = SessionTest.sid(user.token());
        String third = loginBody(user.email(), PASSWORD).getString("token");
        withToken(third).delete("/api/auth/sessions/" + revoked).then().statusCode(204);

        List<Map<String, Object>> events = events("session", before, e -> true);
        assertEquals("success", only(events, e -> "refresh".equals(e.get("action")) && Objects.equals(num(e.get("recordId")), sid))
                .get("outcome"));
        Map<String, Object> logout = only(events, e -> "end".equals(e.get("action")) && Objects.equals(num(e.get("recordId")), sid));
        assertEquals("logout", detail(logout).get("reason"));
        assertEquals(user.id(), num(logout.get("actorId")));
        Map<String, Object> revocation = only(events, e -> "end".equals(e.get("action")) && Objects.equals(num(e.get("recordId")), revoked));
        assertEquals("revoked", detail(revocation).get("reason"));
    }

    @Test
    void aPasswordChangeIsAuditedWithTheSessionsItEnded() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        TestUser user = newUser();
        long other = SessionTest.sid(user.token());
        String keeper = loginBody(user.email(), PASSWORD).getString("token");
        withToken(keeper).body(Map.of("currentPassword", "not it at all", "newPassword", "a brand new passphrase"))
                .post("/api/auth/password").then().statusCode(403);
        withToken(keeper).body(Map.of("currentPassword", PASSWORD, "newPassword", "a brand new passphrase"))
                .post("/api/auth/password").then().statusCode(204);
        List<Map<String, Object>> changes = events("user", before,
                e -> "password_change".equals(e.get("action")) && Objects.equals(num(e.get("recordId")), user.id()));
        assertEquals(List.of("success", "denied"), changes.stream().map(e -> e.get("outcome")).toList());
        Map<String, Object> ended = only(events("session", before, e -> "end".equals(e.get("action"))),
                e -> Objects.equals(num(e.get("recordId")), other));
        assertEquals("password_change", detail(ended).get("reason"));
    }

    @Test
    void anAccountChangeIsAuditedWithItsRoleAndStatusBeforeAndAfter() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        TestUser root = admin();
        TestUser user = newUser();
        long sid = SessionTest.sid(user.token());
        as(root).body(Map.of("role", "admin")).patch("/api/users/" + user.id()).then().statusCode(200);
        as(root).body(Map.of("role", "user", "disabled", true)).patch("/api/users/" + user.id()).then().statusCode(200);
        List<Map<String, Object>> changes = events("user", before,
                e -> "update".equals(e.get("action")) && Objects.equals(num(e.get("recordId")), user.id()));
        assertEquals(2, changes.size());
        assertEquals(Map.of("before", "admin", "after", "user"), detail(changes.get(0)).get("role"));
        assertEquals(Map.of("before", false, "after", true), detail(changes.get(0)).get("disabled"));
        assertEquals(Map.of("before", "user", "after", "admin"), detail(changes.get(1)).get("role"));
        assertEquals(root.id(), num(changes.get(1).get("actorId")));
        Map<String, Object> ended = only(events("session", before, e -> "end".equals(e.get("action"))),
                e -> Objects.equals(num(e.get("recordId")), sid));
        assertEquals("disabled", detail(ended).get("reason"));
        assertEquals(root.id(), num(ended.get("actorId")));
    }

    @Test
    void aRefusedAdminRouteIsAuditedByItsTemplate() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        TestUser user = newUser();
        as(user).get("/api/audit").then().statusCode(403);
        as(user).body(Map.of("role", "admin")).patch("/api/users/" + user.id()).then().statusCode(403);
        List<Map<String, Object>> refused = events("user", before,
                e -> "access".equals(e.get("action")) && Objects.equals(num(e.get("actorId")), user.id()));
        assertEquals(List.of("PATCH /api/users/{id}", "GET /api/audit"),
                refused.stream().map(e -> detail(e).get("method") + " " + detail(e).get("path")).toList());
        assertTrue(refused.stream().allMatch(e -> "denied".equals(e.get("outcome"))));
    }

    private static io.restassured.response.Response login(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password)).post("/api/auth/login");
    }

    /** This record type's events since {@code from} that match, newest first. */
    private List<Map<String, Object>> events(String recordType, Instant from, Predicate<Map<String, Object>> match)
            throws InterruptedException {
        assertTrue(audit.flush(10_000));
        List<Map<String, Object>> page = as(admin()).queryParam("recordType", recordType).queryParam("from", from.toString())
                .queryParam("size", 500).get("/api/audit").then().statusCode(200).extract().jsonPath().getList("$");
        return page.stream().filter(match).toList();
    }

    private static Map<String, Object> only(List<Map<String, Object>> events, Predicate<Map<String, Object>> match) {
        List<Map<String, Object>> found = events.stream().filter(match).toList();
        assertEquals(1, found.size(), "exactly one matching event in " + events);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Map<String, Object> event) {
        Object detail = event.get("detail");
        return detail == null ? Map.of() : (Map<String, Object>) detail;
    }

    private static Long num(Object o) {
        return o == null ? null : ((Number) o).longValue();
    }
}
