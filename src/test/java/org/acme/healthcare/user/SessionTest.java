package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.loginBody;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.Api.withToken;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** Sessions: login, refresh (rotation, one use, replay), logout, listing and ending sessions. */
@QuarkusTest
class SessionTest {
    @Inject
    SessionService sessions;

    static ValidatableResponse refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refreshToken", refreshToken))
                .post("/api/auth/refresh").then();
    }

    static long sid(String token) {
        return Long.parseLong(new JsonPath(Tokens.payloadJson(token)).getString("sid"));
    }

    static ValidatableResponse me(String token) {
        return withToken(token).get("/api/auth/me").then();
    }

    @Test
    void loginStartsASessionWithARandomRefreshToken() {
        TestUser user = newUser();
        JsonPath body = loginBody(user.email(), PASSWORD);
        String refreshToken = body.getString("refreshToken");
        assertTrue(Base64.getUrlDecoder().decode(refreshToken).length >= 32, "at least 256 bits");
        // The real end: unused, the session ends at the idle timeout (30 minutes), before the refresh token's 14 days.
        assertEquals(30 * 60, body.getLong("refreshExpiresIn"));
        assertTrue(sid(body.getString("token")) > 0);
        assertNotEquals(refreshToken, loginBody(user.email(), PASSWORD).getString("refreshToken"));
        // Stored only as a hash.
        long stored = QuarkusTransaction.requiringNew().call(() -> RefreshToken.count("tokenHash", refreshToken));
        assertEquals(0, stored);
        assertEquals(1, QuarkusTransaction.requiringNew().call(
                () -> RefreshToken.count("tokenHash", SessionService.hash(refreshToken))));
    }

    @Test
    void refreshReturnsANewPairInTheSameSession() {
        TestUser user = newUser();
        JsonPath login = loginBody(user.email(), PASSWORD);
        JsonPath next = refresh(login.getString("refreshToken")).statusCode(200)
                .body("tokenType", equalTo("Bearer"))
                .body("user.email", equalTo(user.email()))
                .extract().jsonPath();
        assertNotEquals(login.getString("refreshToken"), next.getString("refreshToken"));
        assertEquals(sid(login.getString("token")), sid(next.getString("token")));
        me(next.getString("token")).statusCode(200);
        // The successor works once too.
        refresh(next.getString("refreshToken")).statusCode(200);
    }

    @Test
    void aReplayedRefreshTokenEndsTheWholeSession() {
        TestUser user = newUser();
        JsonPath login = loginBody(user.email(), PASSWORD);
        JsonPath next = refresh(login.getString("refreshToken")).statusCode(200).extract().jsonPath();
        // The first token again: stolen. The session ends, for the thief and the owner alike.
        assertProblem(refresh(login.getString("refreshToken")), 401);
        assertProblem(me(login.getString("token")), 401);
        assertProblem(me(next.getString("token")), 401);
        assertProblem(refresh(next.getString("refreshToken")), 401);
        // Another session of the same account is not affected.
        me(user.token()).statusCode(200);
    }

    @Test
    void unknownOrMissingRefreshTokenIsRefused() {
        assertProblem(refresh("bm90LWEtcmVhbC10b2tlbi1hdC1hbGwtMTIzNDU2Nzg5MDEyMzQ1Njc4OTA"), 401);
        assertProblem(given().contentType(ContentType.JSON).body(Map.of()).post("/api/auth/refresh").then(), 400)
                .body("errors.field", hasItem("refreshToken"));
    }

    @Test
    void anExpiredRefreshTokenIsRefused() {
        TestUser user = newUser();
        String refreshToken = loginBody(user.email(), PASSWORD).getString("refreshToken");
        QuarkusTransaction.requiringNew().run(() -> RefreshToken.update("expiresAt = ?1 where tokenHash = ?2",
                Instant.now().minusSeconds(1), SessionService.hash(refreshToken)));
        assertProblem(refresh(refreshToken), 401);
    }

    @Test
    void logoutEndsTheSessionsTokens() {
        TestUser user = newUser();
        JsonPath login = loginBody(user.email(), PASSWORD);
        withToken(login.getString("token")).post("/api/auth/logout").then().statusCode(204);
        assertProblem(me(login.getString("token")), 401).header("WWW-Authenticate", notNullValue());
        assertProblem(refresh(login.getString("refreshToken")), 401);
        // Only that session.
        me(user.token()).statusCode(200);
    }

    @Test
    void sessionsListsTheCallersLiveSessionsAndMarksTheCurrentOne() {
        TestUser user = newUser(); // one session
        JsonPath second = JsonPath.from(given().contentType(ContentType.JSON).header("User-Agent", "SessionTest/1.0")
                .body(Map.of("email", user.email(), "password", PASSWORD)).post("/api/auth/login")
                .then().statusCode(200).extract().asString());
        long secondSid = sid(second.getString("token"));
        withToken(second.getString("token")).get("/api/auth/sessions").then().statusCode(200)
                .header("X-Total-Count", "2")
                .body("$", hasSize(2))
                .body("id", containsInAnyOrder((int) sid(user.token()), (int) secondSid))
                .body("find { it.id == " + secondSid + " }.current", equalTo(true))
                .body("find { it.id == " + secondSid + " }.userAgent", equalTo("SessionTest/1.0"))
                .body("find { it.id == " + secondSid + " }.clientAddress", equalTo("127.0.0.1"))
                .body("find { it.id == " + secondSid + " }.createdAt", notNullValue())
                .body("find { it.id == " + secondSid + " }.lastUsedAt", notNullValue())
                .body("find { it.id == " + secondSid + " }.expiresAt", notNullValue())
                .body("find { it.id == " + sid(user.token()) + " }.current", equalTo(false));
        // An ended session is not listed.
        withToken(user.token()).post("/api/auth/logout").then().statusCode(204);
        withToken(second.getString("token")).get("/api/auth/sessions").then().statusCode(200)
                .body("id", equalTo(List.of((int) secondSid)));
    }

    @Test
    void deletingASessionEndsItsTokens() {
        TestUser user = newUser();
        JsonPath other = loginBody(user.email(), PASSWORD);
        withToken(user.token()).delete("/api/auth/sessions/" + sid(other.getString("token"))).then().statusCode(204);
        assertProblem(me(other.getString("token")), 401);
        assertProblem(refresh(other.getString("refreshToken")), 401);
        me(user.token()).statusCode(200);
        // Already ended: nothing to end.
        assertProblem(withToken(user.token()).delete("/api/auth/sessions/" + sid(other.getString("token"))).then(), 404);
    }

    @Test
    void anotherUsersSessionIsNotFoundAndUntouched() {
        TestUser owner = newUser();
        TestUser other = newUser();
        assertProblem(withToken(other.token()).delete("/api/auth/sessions/" + sid(owner.token())).then(), 404);
        me(owner.token()).statusCode(200);
        assertProblem(withToken(other.token()).delete("/api/auth/sessions/" + Long.MAX_VALUE).then(), 404);
        assertProblem(withToken(other.token()).delete("/api/auth/sessions/abc").then(), 400);
    }

    @Test
    void sessionRoutesNeedAToken() {
        assertProblem(given().post("/api/auth/logout").then(), 401);
        assertProblem(given().get("/api/auth/sessions").then(), 401);
        assertProblem(given().delete("/api/auth/sessions/1").then(), 401);
        assertProblem(given().contentType(ContentType.JSON).body(Map.of("currentPassword", PASSWORD, "newPassword", PASSWORD))
                .post("/api/auth/password").then(), 401);
    }

    @Test
    void cleanUpRemovesOldSessionsAndExpiredRefreshTokens() {
        TestUser user = newUser();
        JsonPath old = loginBody(user.email(), PASSWORD);
        long oldSid = sid(old.getString("token"));
        String liveRefresh = loginBody(user.email(), PASSWORD).getString("refreshToken");
        QuarkusTransaction.requiringNew().run(() -> {
            Session.update("expiresAt = ?1 where id = ?2", Instant.now().minusSeconds(30L * 24 * 3600), oldSid);
            RefreshToken.update("expiresAt = ?1 where tokenHash = ?2", Instant.now().minusSeconds(1),
                    SessionService.hash(liveRefresh));
        });
        sessions.purgeExpired();
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(0, Session.count("id", oldSid));
            assertEquals(0, RefreshToken.count("sessionId", oldSid));
            assertEquals(0, RefreshToken.count("tokenHash", SessionService.hash(liveRefresh)));
            assertEquals(1, Session.count("id", sid(user.token())));
        });
    }
}
