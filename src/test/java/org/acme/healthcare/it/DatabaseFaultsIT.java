package org.acme.healthcare.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.acme.healthcare.it.support.Http;
import org.acme.healthcare.it.support.LocalCluster;
import org.acme.healthcare.it.support.Ports;
import org.acme.healthcare.it.support.ServiceJar;
import org.acme.healthcare.it.support.Slow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stuck database is a fast 503 problem with Retry-After, never a hang or a 500, and nothing is
 * half-written: the packaged jar with {@code HEALTHCARE_DB_TIMEOUT=2S} and a pool of 4, against a
 * cluster of its own that the test locks and freezes.
 */
@Slow
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DatabaseFaultsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** The timeout, the socket timeout's extra second, and room for a busy machine. */
    private static final long BOUND_MS = TIMEOUT.toMillis() + 4_000;
    private static LocalCluster db;
    private static ServiceJar app;
    private static Http http;

    @BeforeAll
    static void start() {
        db = LocalCluster.start(Ports.pg(2));
        app = ServiceJar.start("database-faults", Ports.http(3), db, ServiceJar.Keys.generate(),
                Map.of("HEALTHCARE_DB_TIMEOUT", "2S", "HEALTHCARE_DB_POOL_MAX", "4"))
                .awaitReady(Duration.ofSeconds(120));
        http = new Http(app.base());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    private static void assertUnavailable(Http.Answer a, String what) {
        assertEquals(503, a.status(), what + ": " + a.response().body());
        assertNotNull(a.header("Retry-After"), what + ": no Retry-After");
        assertTrue(a.header("Content-Type").startsWith("application/problem+json"), what);
        assertTrue(a.millis() < BOUND_MS, what + " took " + a.millis() + " ms");
    }

    @Test
    void aLockedTableIs503WithinTheTimeoutAndNothingIsWritten() throws Exception {
        String token = http.newUser();
        long id = http.createPatient(token, "Before Lock");
        long before = db.queryLong("select count(*) from patients");
        try (Connection locker = db.connect(); Statement s = locker.createStatement()) {
            locker.setAutoCommit(false);
            s.execute("set lock_timeout = 0; set statement_timeout = 0");
            s.execute("lock table patients in access exclusive mode");
            assertUnavailable(http.get("/api/patients/" + id, token, Duration.ofSeconds(30)), "GET while locked");
            assertUnavailable(http.send("PUT", "/api/patients/" + id, token, Map.of("name", "Changed While Locked"),
                    Duration.ofSeconds(30)), "PUT while locked");
            assertUnavailable(http.send("POST", "/api/patients", token, Map.of("name", "Created While Locked"),
                    Duration.ofSeconds(30)), "POST while locked");
            locker.rollback();
        }
        Http.Answer after = http.get("/api/patients/" + id, token, Duration.ofSeconds(10));
        assertEquals(200, after.status());
        assertEquals("Before Lock", after.json().get("name").asText());
        assertEquals(before, db.queryLong("select count(*) from patients"), "a patient was written while locked");
        assertEquals(0, db.queryLong("select count(*) from audit_events where action = 'update' and record_id = " + id),
                "an update was audited that did not happen");
    }

    @Test
    void anExhaustedPoolIs503ForUnrelatedRequestsToo() throws Exception {
        String token = http.newUser();
        long id = http.createPatient(token, "Pool Check");
        assertEquals(200, http.get("/api/doctors", token, Duration.ofSeconds(10)).status());
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try (Connection locker = db.connect(); Statement s = locker.createStatement()) {
            locker.setAutoCommit(false);
            s.execute("set lock_timeout = 0; set statement_timeout = 0");
            s.execute("lock table patients in access exclusive mode");
            List<Future<Http.Answer>> blocked = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                blocked.add(clients.submit(() -> http.get("/api/patients/" + id, token, Duration.ofSeconds(30))));
            }
            Thread.sleep(300);
            // Every connection of the pool waits on the lock: the doctors list gets none in time.
            Http.Answer doctors = http.get("/api/doctors", token, Duration.ofSeconds(30));
            assertUnavailable(doctors, "GET /api/doctors with the pool exhausted");
            for (Future<Http.Answer> f : blocked) {
                Http.Answer a = f.get(30, TimeUnit.SECONDS);
                assertEquals(503, a.status(), "a request waiting for the lock or a connection: " + a.response().body());
            }
            locker.rollback();
        } finally {
            clients.shutdownNow();
        }
        assertEquals(200, http.get("/api/doctors", token, Duration.ofSeconds(10)).status());
    }

    @Test
    void aFrozenDatabaseIs503AndReadinessAnswersFastThenRecoversWithoutRestart() throws Exception {
        String token = http.newUser();
        long id = http.createPatient(token, "Freeze Check");
        db.freeze();
        try {
            assertUnavailable(http.get("/api/patients/" + id, token, Duration.ofSeconds(30)), "GET while frozen");
            Http.Answer ready = http.get("/q/health/ready", null, Duration.ofSeconds(10));
            assertEquals(503, ready.status(), ready.response().body());
            assertTrue(ready.millis() < 3_000, "readiness took " + ready.millis() + " ms with the database frozen");
            assertEquals(200, http.get("/q/health/live", null, Duration.ofSeconds(5)).status(), "liveness must stay UP");
        } finally {
            db.thaw();
        }
        app.awaitReady(Duration.ofSeconds(30));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int status = -1;
        while (System.nanoTime() < deadline && status != 200) {
            status = http.get("/api/patients/" + id, token, Duration.ofSeconds(10)).status();
        }
        assertEquals(200, status, "the service did not recover after the database came back");
        assertTrue(app.alive());
    }
}
