package org.acme.healthcare.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.acme.healthcare.it.support.Http;
import org.acme.healthcare.it.support.LocalCluster;
import org.acme.healthcare.it.support.Ports;
import org.acme.healthcare.it.support.ServiceJar;
import org.acme.healthcare.it.support.Slow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Two replicas of the packaged jar on one database with one key pair, each caching session
 * checks for {@value #TTL_SECONDS} s: an ended session (logout) or a disabled account is refused
 * at once by the replica that made the change and within the cache time by the other one, which
 * had the session cached as live. A refresh token is refused by both at once.
 */
@Slow
class SessionReplicasIT {
    static final int TTL_SECONDS = 3;
    static final Duration CALL = Duration.ofSeconds(20);
    static final String ADMIN_EMAIL = "replica-admin-" + UUID.randomUUID() + "@example.com";
    static final String ADMIN_PASSWORD = "replica-admin-" + UUID.randomUUID();

    static LocalCluster db;
    static ServiceJar jarA;
    static ServiceJar jarB;
    static Http a;
    static Http b;

    @BeforeAll
    static void startTwoReplicas() {
        db = LocalCluster.start(Ports.pg(9));
        var keys = ServiceJar.Keys.generate();
        Map<String, String> env = Map.of("HEALTHCARE_ACCOUNT_CACHE_TTL", TTL_SECONDS + "S",
                "HEALTHCARE_ADMIN_EMAIL", ADMIN_EMAIL, "HEALTHCARE_ADMIN_PASSWORD", ADMIN_PASSWORD);
        jarA = ServiceJar.start("sessions-a", Ports.http(9), db, keys, env);
        jarB = ServiceJar.start("sessions-b", Ports.http(10), db, keys, env);
        jarA.awaitReady(Duration.ofSeconds(120));
        jarB.awaitReady(Duration.ofSeconds(120));
        a = new Http(jarA.base());
        b = new Http(jarB.base());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] { jarA, jarB, db }) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static JsonNode login(Http http, String email, String password) throws Exception {
        var r = http.send("POST", "/api/auth/login", null, Map.of("email", email, "password", password), CALL);
        assertEquals(200, r.status(), r.response().body());
        return r.json();
    }

    private static JsonNode newSession() throws Exception {
        String email = "replica-" + UUID.randomUUID() + "@example.com";
        var r = a.send("POST", "/api/auth/register", null, Map.of("name", "Replica", "email", email, "password", Http.PASSWORD), CALL);
        assertEquals(201, r.status(), r.response().body());
        return login(a, email, Http.PASSWORD);
    }

    private static int me(Http http, String token) throws Exception {
        return http.get("/api/auth/me", token, CALL).status();
    }

    private static int refresh(Http http, JsonNode session) throws Exception {
        return http.send("POST", "/api/auth/refresh", null, Map.of("refreshToken", session.get("refreshToken").asText()), CALL)
                .status();
    }

    /** Polls the replica until it refuses the token; how long that took, in ms. */
    private static long millisUntilRefused(Http http, String token) throws Exception {
        long start = System.nanoTime();
        long deadline = start + (TTL_SECONDS + 10) * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (me(http, token) == 401) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the replica still accepts the token " + (TTL_SECONDS + 10) + " s after the change");
    }

    @Test
    void aLogoutOnOneReplicaEndsTheSessionOnBoth() throws Exception {
        JsonNode session = newSession();
        String token = session.get("token").asText();
        assertEquals(200, me(b, token)); // B now has the session cached as live
        assertEquals(204, a.send("POST", "/api/auth/logout", token, Map.of(), CALL).status());
        assertEquals(401, me(a, token), "at once on the replica that served the logout");
        long waited = millisUntilRefused(b, token);
        assertTrue(waited <= (TTL_SECONDS + 2) * 1000L, "refused by the other replica after " + waited + " ms");
        assertEquals(401, refresh(b, session));
    }

    @Test
    void disablingAnAccountOnOneReplicaEndsItsSessionsOnBoth() throws Exception {
        JsonNode session = newSession();
        String token = session.get("token").asText();
        long id = session.get("user").get("id").asLong();
        assertEquals(200, me(b, token));
        String admin = login(a, ADMIN_EMAIL, ADMIN_PASSWORD).get("token").asText();
        var disabled = a.send("PATCH", "/api/users/" + id, admin, Map.of("disabled", true), CALL);
        assertEquals(200, disabled.status(), disabled.response().body());
        assertEquals(401, me(a, token));
        long waited = millisUntilRefused(b, token);
        assertTrue(waited <= (TTL_SECONDS + 2) * 1000L, "refused by the other replica after " + waited + " ms");
        assertEquals(401, refresh(b, session));
    }

    @Test
    void aSessionStartedOnOneReplicaRefreshesOnTheOther() throws Exception {
        JsonNode session = newSession();
        assertEquals(200, me(b, session.get("token").asText()));
        var refreshed = b.send("POST", "/api/auth/refresh", null, Map.of("refreshToken", session.get("refreshToken").asText()), CALL);
        assertEquals(200, refreshed.status(), refreshed.response().body());
        assertEquals(200, me(a, refreshed.json().get("token").asText()));
        // The spent token replayed on A ends the session everywhere.
        assertEquals(401, refresh(a, session));
        assertEquals(401, me(a, refreshed.json().get("token").asText()));
    }

    /**
     * Memberships are not cached: a demotion or a removal answered by one replica holds on the
     * other for the very next request, not only after the account cache's TTL.
     */
    @Test
    void aMembershipChangeOnOneReplicaHoldsOnTheOtherAtOnce() throws Exception {
        String admin = newSession().get("token").asText();
        JsonNode member = newSession();
        String token = member.get("token").asText();
        long memberId = member.get("user").get("id").asLong();
        var org = a.send("POST", "/api/organizations", admin, Map.of("name", "Replica clinic"), CALL);
        assertEquals(201, org.status(), org.response().body());
        long orgId = org.json().get("id").asLong();
        var invitation = a.send("POST", "/api/organizations/" + orgId + "/invitations", admin, Map.of("role", "clinician"), CALL);
        assertEquals(201, invitation.status(), invitation.response().body());
        var joined = b.send("POST", "/api/invitations/accept", token, Map.of("code", invitation.json().get("code").asText()), CALL);
        assertEquals(200, joined.status(), joined.response().body());
        var created = a.send("POST", "/api/patients", admin, Map.of("name", "Replica patient", "organizationId", orgId), CALL);
        assertEquals(201, created.status(), created.response().body());
        String patient = "/api/patients/" + created.json().get("id").asLong();
        String membership = "/api/organizations/" + orgId + "/members/" + memberId;

        assertEquals(200, b.get(patient, token, CALL).status());
        assertEquals(200, b.send("PUT", patient, token, Map.of("age", 30), CALL).status());
        assertEquals(200, a.send("PATCH", membership, admin, Map.of("role", "reader"), CALL).status());
        assertEquals(403, b.send("PUT", patient, token, Map.of("age", 31), CALL).status(), "demoted on B at once");
        assertEquals(200, b.get(patient, token, CALL).status());
        assertEquals(204, a.send("DELETE", membership, admin, Map.of(), CALL).status());
        assertEquals(404, b.get(patient, token, CALL).status(), "removed on B at once");
        assertEquals(404, b.get("/api/organizations/" + orgId, token, CALL).status());
    }
}
