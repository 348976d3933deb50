package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.loginBody;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.Api.withToken;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** An admin disables and re-enables accounts; role changes and (dis|en)abling are audited. */
@QuarkusTest
class AccountDisableTest {
    @Inject
    AuditLog audit;

    static io.restassured.response.ValidatableResponse patch(TestUser admin, long id, Map<String, ?> body) {
        return as(admin).body(body).patch("/api/users/" + id).then();
    }

    @Test
    void aDisabledAccountLosesEverySessionAndCannotLogIn() {
        TestUser user = newUser();
        JsonPath other = loginBody(user.email(), PASSWORD);
        TestUser admin = admin();
        patch(admin, user.id(), Map.of("disabled", true)).statusCode(200)
                .body("disabled", equalTo(true)).body("role", equalTo("user"));
        assertProblem(withToken(user.token()).get("/api/auth/me").then(), 401);
        assertProblem(withToken(other.getString("token")).get("/api/auth/me").then(), 401);
        assertProblem(SessionTest.refresh(other.getString("refreshToken")), 401);
        // The same 401 as a wrong password: a disabled account is not revealed.
        String disabled = assertProblem(PasswordTest.login(user.email(), PASSWORD), 401).extract().path("detail");
        String wrong = assertProblem(PasswordTest.login(user.email(), "not-the-password"), 401).extract().path("detail");
        assertEquals(wrong, disabled);
    }

    @Test
    void aReEnabledAccountLogsInAgainButOldSessionsStayEnded() {
        TestUser user = newUser();
        TestUser admin = admin();
        patch(admin, user.id(), Map.of("disabled", true)).statusCode(200);
        patch(admin, user.id(), Map.of("disabled", false)).statusCode(200).body("disabled", equalTo(false));
        PasswordTest.login(user.email(), PASSWORD).statusCode(200);
        assertProblem(withToken(user.token()).get("/api/auth/me").then(), 401);
    }

    @Test
    void usersListShowsDisabled() {
        TestUser user = newUser();
        TestUser admin = admin();
        patch(admin, user.id(), Map.of("disabled", true)).statusCode(200);
        long total = Long.parseLong(withToken(admin.token()).get("/api/users?size=1").then().extract().header("X-Total-Count"));
        // Oldest first: the new account is on the last page.
        withToken(admin.token()).get("/api/users?size=500&page=" + (total - 1) / 500).then().statusCode(200)
                .body("find { it.id == " + user.id() + " }.disabled", equalTo(true));
        withToken(admin.token()).get("/api/auth/me").then().body("disabled", equalTo(false));
    }

    @Test
    void theLastActiveAdminCannotBeDisabledOrDemoted() {
        TestUser root = admin();
        demoteEveryOtherAdmin(root);
        // A disabled admin does not count as one.
        TestUser second = newUser();
        patch(root, second.id(), Map.of("role", "admin")).statusCode(200);
        patch(root, second.id(), Map.of("disabled", true)).statusCode(200);
        assertProblem(patch(root, root.id(), Map.of("disabled", true)), 409);
        assertProblem(patch(root, root.id(), Map.of("role", "user")), 409);
        assertProblem(patch(root, root.id(), Map.of("role", "admin", "disabled", true)), 409);
        withToken(root.token()).get("/api/auth/me").then().statusCode(200).body("role", equalTo("admin"));
        // With another active admin, it can.
        patch(root, second.id(), Map.of("disabled", false)).statusCode(200);
        patch(root, second.id(), Map.of("role", "user")).statusCode(200);
    }

    @Test
    void anAccountChangeIsValidated() {
        TestUser user = newUser();
        TestUser admin = admin();
        assertProblem(patch(admin, user.id(), Map.of()), 400);
        assertProblem(patch(admin, user.id(), Map.of("disabled", "yes")), 400);
        assertProblem(patch(admin, user.id(), Map.of("role", "root", "disabled", true)), 400).body("errors.field", hasItem("role"));
        assertProblem(patch(user, user.id(), Map.of("disabled", true)), 403);
        PasswordTest.login(user.email(), PASSWORD).statusCode(200);
    }

    @Test
    void roleChangesAndDisablingAreAuditedWithTheAdminAsActor() throws Exception {
        TestUser user = newUser();
        TestUser admin = admin();
        patch(admin, user.id(), Map.of("role", "admin")).statusCode(200);
        patch(admin, user.id(), Map.of("role", "user", "disabled", true)).statusCode(200);
        patch(admin, user.id(), Map.of("disabled", false)).statusCode(200);
        audit.flush(5_000);
        List<Map<String, Object>> events = withToken(admin.token())
                .get("/api/audit?recordType=user&recordId=" + user.id()).then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertEquals(3, events.size(), events.toString());
        for (var e : events) {
            assertEquals("update", e.get("action"));
            assertEquals(((Number) e.get("actorId")).longValue(), admin.id());
            assertEquals("success", e.get("outcome"));
        }
    }

    @Test
    void aRoleChangeTakesEffectAtOnceOnThisReplica() {
        TestUser user = newUser();
        TestUser admin = admin();
        patch(admin, user.id(), Map.of("role", "admin")).statusCode(200);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + user.token()).get("/api/users")
                .then().statusCode(200);
        patch(admin, user.id(), Map.of("role", "user")).statusCode(200);
        assertProblem(withToken(user.token()).get("/api/users").then(), 403);
    }

    private static void demoteEveryOtherAdmin(TestUser root) {
        List<Long> others = QuarkusTransaction.requiringNew().call(() -> User.<User> list("role", Roles.ADMIN).stream()
                .map(u -> u.id).filter(id -> id != root.id()).toList());
        for (long id : others) {
            patch(root, id, Map.of("role", "user")).statusCode(200);
        }
    }
}
