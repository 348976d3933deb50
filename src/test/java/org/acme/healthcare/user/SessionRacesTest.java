package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.loginBody;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.Api.withToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * "Ended means ended": a session is ended while a client refreshes it in a tight loop, many
 * rounds over. Once the end has been answered, neither the newest access token nor the newest
 * refresh token works, and the row stays ended. A refresh that read the session before the end
 * committed must not write it back as live.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionRacesTest {
    private static final int ROUNDS = 25;

    @Inject
    EntityManager em;

    private ExecutorService pool;

    @BeforeAll
    void startPool() {
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    void stopPool() {
        pool.shutdownNow();
    }

    /** The newest pair a refreshing client holds. */
    record Pair(String token, String refreshToken) {
    }

    @Test
    void deletingASessionWhileItIsRefreshedEndsItForGood() throws Exception {
        TestUser user = newUser();
        for (int round = 0; round < ROUNDS; round++) {
            JsonPath victim = loginBody(user.email(), PASSWORD);
            String other = loginBody(user.email(), PASSWORD).getString("token");
            long sessionId = sessionIdOf(victim.getString("token"));
            raceAgainstRefreshes(victim, () -> withToken(other).delete("/api/auth/sessions/" + sessionId)
                    .then().statusCode(204), round);
        }
    }

    @Test
    void loggingOutWhileTheSessionIsRefreshedEndsItForGood() throws Exception {
        TestUser user = newUser();
        for (int round = 0; round < ROUNDS; round++) {
            JsonPath victim = loginBody(user.email(), PASSWORD);
            String first = victim.getString("token");
            raceAgainstRefreshes(victim, () -> withToken(first).post("/api/auth/logout").then().statusCode(204), round);
        }
    }

    @Test
    void changingThePasswordWhileAnotherSessionIsRefreshedEndsThatSession() throws Exception {
        TestUser user = newUser();
        String password = PASSWORD;
        for (int round = 0; round < ROUNDS; round++) {
            JsonPath victim = loginBody(user.email(), password);
            String keeper = loginBody(user.email(), password).getString("token");
            String next = "another long passphrase " + round;
            String current = password;
            raceAgainstRefreshes(victim, () -> withToken(keeper)
                    .body(Map.of("currentPassword", current, "newPassword", next))
                    .post("/api/auth/password").then().statusCode(204), round);
            password = next;
        }
    }

    @Test
    void disablingTheAccountWhileItsSessionIsRefreshedEndsItForGood() throws Exception {
        TestUser user = newUser();
        TestUser root = admin();
        for (int round = 0; round < ROUNDS; round++) {
            JsonPath victim = loginBody(user.email(), PASSWORD);
            raceAgainstRefreshes(victim, () -> as(root).body(Map.of("disabled", true)).patch("/api/users/" + user.id())
                    .then().statusCode(200), round);
            as(root).body(Map.of("disabled", false)).patch("/api/users/" + user.id()).then().statusCode(200);
        }
    }

    @Test
    void aReplayedRefreshTokenEndsTheSessionEvenWhileItIsRefreshed() throws Exception {
        TestUser user = newUser();
        for (int round = 0; round < ROUNDS; round++) {
            JsonPath victim = loginBody(user.email(), PASSWORD);
            // The attacker's copy: spent once by the client below, then presented again.
            String stolen = victim.getString("refreshToken");
            JsonPath spent = refresh(stolen).then().statusCode(200).extract().jsonPath();
            raceAgainstRefreshes(spent, () -> refresh(stolen).then().statusCode(401), round);
        }
    }

    /**
     * Refreshes the victim's session in a loop on another thread, runs {@code end} once the loop
     * is going, then checks that the session's newest tokens are all refused and its row ended.
     */
    private void raceAgainstRefreshes(JsonPath victim, Runnable end, int round) throws Exception {
        AtomicReference<Pair> newest = new AtomicReference<>(new Pair(victim.getString("token"), victim.getString("refreshToken")));
        long sessionId = sessionIdOf(newest.get().token());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean started = new AtomicBoolean();
        Future<Integer> refresher = pool.submit(() -> {
            int refreshed = 0;
            while (!stop.get()) {
                Response r = refresh(newest.get().refreshToken());
                started.set(true);
                if (r.statusCode() != 200) {
                    assertEquals(401, r.statusCode(), r.asString());
                    break;
                }
                JsonPath body = r.jsonPath();
                newest.set(new Pair(body.getString("token"), body.getString("refreshToken")));
                refreshed++;
            }
            return refreshed;
        });
        while (!started.get()) {
            Thread.onSpinWait();
        }
        end.run();
        // Whatever was in flight finishes; nothing that comes after may bring the session back.
        stop.set(true);
        refresher.get(30, TimeUnit.SECONDS);
        Pair last = newest.get();
        withToken(last.token()).get("/api/auth/me").then().statusCode(401);
        refresh(last.refreshToken()).then().statusCode(401);
        Object endedAt = QuarkusTransaction.requiringNew().call(() -> em
                .createNativeQuery("select ended_at from sessions where id = :id").setParameter("id", sessionId)
                .getSingleResult());
        assertTrue(endedAt != null, "round " + round + ": session " + sessionId + " is live again after it was ended");
    }

    private static Response refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refreshToken", refreshToken)).post("/api/auth/refresh");
    }

    /** The session an access token names: its {@code sid} claim. */
    static long sessionIdOf(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return Long.parseLong(new JsonPath(payload).getString("sid"));
    }
}
