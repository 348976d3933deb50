package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.loginBody;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.Api.withToken;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A session ends at its absolute end (login plus the maximum lifetime) however often it is
 * refreshed, and after the idle timeout without a request; {@code refreshExpiresIn} and the
 * session's {@code expiresAt} tell that end. Short limits here: 8 s and 3 s.
 */
@QuarkusTest
@TestProfile(SessionLifetimeTest.ShortSessions.class)
class SessionLifetimeTest {
    static final Duration MAX = Duration.ofSeconds(8);
    static final Duration IDLE = Duration.ofSeconds(3);

    public static class ShortSessions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("healthcare.sessions.max-lifetime", MAX.getSeconds() + "S",
                    "healthcare.sessions.idle-timeout", IDLE.getSeconds() + "S");
        }
    }

    @Test
    void refreshingNeverCarriesASessionPastItsMaximumLifetime() throws Exception {
        TestUser user = newUser();
        Instant login = Instant.now();
        JsonPath pair = loginBody(user.email(), PASSWORD);
        // Used and refreshed every second, the session never goes idle, but it still ends.
        while (Duration.between(login, Instant.now()).compareTo(MAX.minusSeconds(2)) < 0) {
            Thread.sleep(1_000);
            withToken(pair.getString("token")).get("/api/auth/me").then().statusCode(200);
            pair = refresh(pair.getString("refreshToken")).then().statusCode(200).extract().jsonPath();
            long left = Duration.between(Instant.now(), login.plus(MAX)).getSeconds() + 1;
            assertTrue(pair.getLong("refreshExpiresIn") <= Math.min(IDLE.getSeconds(), left),
                    "refreshExpiresIn " + pair.getLong("refreshExpiresIn") + " beyond the real end");
            Instant expiresAt = Instant.parse(withToken(pair.getString("token")).get("/api/auth/sessions")
                    .then().statusCode(200).extract().jsonPath().getString("[0].expiresAt"));
            assertTrue(!expiresAt.isAfter(login.plus(MAX).plusSeconds(1)), "expiresAt " + expiresAt + " past the absolute end");
        }
        while (Instant.now().isBefore(login.plus(MAX).plusMillis(500))) {
            Thread.sleep(200);
        }
        withToken(pair.getString("token")).get("/api/auth/me").then().statusCode(401);
        refresh(pair.getString("refreshToken")).then().statusCode(401);
    }

    @Test
    void aSessionUnusedForTheIdleTimeoutEnds() throws Exception {
        TestUser user = newUser();
        JsonPath pair = loginBody(user.email(), PASSWORD);
        String other = loginBody(user.email(), PASSWORD).getString("token");
        withToken(pair.getString("token")).get("/api/auth/me").then().statusCode(200);
        Thread.sleep(IDLE.toMillis() + 1_000);
        // The idle session is gone for both of its tokens; a session that is used goes on.
        withToken(pair.getString("token")).get("/api/auth/me").then().statusCode(401);
        refresh(pair.getString("refreshToken")).then().statusCode(401);
        JsonPath fresh = loginBody(user.email(), PASSWORD);
        for (int i = 0; i < 3; i++) {
            Thread.sleep(IDLE.toMillis() / 2);
            fresh = refresh(fresh.getString("refreshToken")).then().statusCode(200).extract().jsonPath();
        }
        withToken(fresh.getString("token")).get("/api/auth/me").then().statusCode(200);
        withToken(other).get("/api/auth/me").then().statusCode(401);
    }

    private static io.restassured.response.Response refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refreshToken", refreshToken)).post("/api/auth/refresh");
    }
}
