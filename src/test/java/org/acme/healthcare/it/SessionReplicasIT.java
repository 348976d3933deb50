package org.acme.healthcare.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

/**
 * Two replicas of the packaged jar on one database with one key pair, each caching session
 * checks for {@value #TTL_SECONDS} s: an ended session (logout) or a disabled account is refused
 * at once by the replica that made the change and within the cache time by the other one, which
 * had the session cached as live. A refresh token is refused by both at once.
 */
class SessionReplicasIT {
    static final int TTL_SECONDS = 3;
    static final String ADMIN_EMAIL = "replica-admin-" + UUID.randomUUID() + "@example.com";
    static final String ADMIN_PASSWORD = "replica-admin-" + UUID.randomUUID();
    static final String PASSWORD = "replica user passphrase";

    static PackagedJar a;
    static PackagedJar b;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        Map<String, String> env = new HashMap<>(new GeneratedKeys().startAsFiles());
        env.put("HEALTHCARE_ACCOUNT_CACHE_TTL", TTL_SECONDS + "S");
        env.put("HEALTHCARE_ADMIN_EMAIL", ADMIN_EMAIL);
        env.put("HEALTHCARE_ADMIN_PASSWORD", ADMIN_PASSWORD);
        a = PackagedJar.start(env);
        b = PackagedJar.start(env);
        a.awaitReady();
        b.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static JsonPath login(PackagedJar jar, String email, String password) throws Exception {
        var r = jar.post("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null);
        assertEquals(200, r.statusCode(), r.body());
        return JsonPath.from(r.body());
    }

    private static JsonPath newAccount() throws Exception {
        String email = "replica-" + UUID.randomUUID() + "@example.com";
        var r = a.post("/api/auth/register", "{\"name\":\"Replica\",\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}", null);
        assertEquals(201, r.statusCode(), r.body());
        return login(a, email, PASSWORD);
    }

    private static int me(PackagedJar jar, String token) throws Exception {
        return jar.get("/api/auth/me", token).statusCode();
    }

    /** Polls the other replica until it refuses the token; how long that took, in ms. */
    private static long millisUntilRefused(PackagedJar jar, String token) throws Exception {
        long start = System.nanoTime();
        long deadline = start + (TTL_SECONDS + 10) * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (me(jar, token) == 401) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("replica still accepts the token " + (TTL_SECONDS + 10) + " s after the change");
    }

    @Test
    void aLogoutOnOneReplicaEndsTheSessionOnBoth() throws Exception {
        JsonPath session = newAccount();
        String token = session.getString("token");
        assertEquals(200, me(b, token)); // B now has the session cached as live
        assertEquals(204, a.post("/api/auth/logout", "", token).statusCode());
        assertEquals(401, me(a, token), "at once on the replica that served the logout");
        long waited = millisUntilRefused(b, token);
        assertTrue(waited <= (TTL_SECONDS + 2) * 1000L, "refused by the other replica after " + waited + " ms");
        assertEquals(401, b.post("/api/auth/refresh", "{\"refreshToken\":\"" + session.getString("refreshToken") + "\"}", null)
                .statusCode());
    }

    @Test
    void disablingAnAccountOnOneReplicaEndsItsSessionsOnBoth() throws Exception {
        JsonPath session = newAccount();
        String token = session.getString("token");
        long id = session.getLong("user.id");
        assertEquals(200, me(b, token));
        String admin = login(a, ADMIN_EMAIL, ADMIN_PASSWORD).getString("token");
        var disabled = a.patch("/api/users/" + id, "{\"disabled\":true}", admin);
        assertEquals(200, disabled.statusCode(), disabled.body());
        assertEquals(401, me(a, token));
        long waited = millisUntilRefused(b, token);
        assertTrue(waited <= (TTL_SECONDS + 2) * 1000L, "refused by the other replica after " + waited + " ms");
        assertEquals(401, b.post("/api/auth/refresh", "{\"refreshToken\":\"" + session.getString("refreshToken") + "\"}", null)
                .statusCode());
    }

    @Test
    void aTokenFromOneReplicaWorksOnTheOther() throws Exception {
        JsonPath session = newAccount();
        assertEquals(200, me(b, session.getString("token")));
        var refreshed = b.post("/api/auth/refresh", "{\"refreshToken\":\"" + session.getString("refreshToken") + "\"}", null);
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        assertEquals(200, me(a, JsonPath.from(refreshed.body()).getString("token")));
    }
}
