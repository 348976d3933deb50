package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.ADMIN_EMAIL;
import static org.acme.healthcare.support.Api.ADMIN_PASSWORD;
import static org.acme.healthcare.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.support.Api;
import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * A login shed for overload (503) is audited like any other login: outcome {@code shed}, with
 * the normalised email. Room for two logins at once ({@link LoginAdmission}) and one hashing
 * thread at a slow bcrypt cost make a burst of 24 overflow it.
 */
@QuarkusTest
@TestProfile(ShedLoginAuditTest.OneSlowHasher.class)
class ShedLoginAuditTest {
    private static final int LOGINS = 24;

    public static class OneSlowHasher implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("healthcare.password.bcrypt-cost", "12", "healthcare.password.hashing-threads", "1",
                    "healthcare.password.max-queue-wait", "1MS", "healthcare.password.login-capacity", "2",
                    "healthcare.login.max-failures-per-email-and-client", "1000", "healthcare.login.max-failures-per-email", "1000");
        }
    }

    @Inject
    AuditLog audit;

    @Test
    void aShedLoginIsAuditedWithItsEmail() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        TestUser user = whenHashingIsFree(Api::newUser);
        ExecutorService pool = Executors.newFixedThreadPool(LOGINS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < LOGINS; i++) {
            answers.add(pool.submit(() -> {
                go.await();
                return given().contentType(ContentType.JSON).body(Map.of("email", user.email(), "password", PASSWORD))
                        .post("/api/auth/login").statusCode();
            }));
        }
        go.countDown();
        int shed = 0;
        for (Future<Integer> f : answers) {
            int status = f.get(120, TimeUnit.SECONDS);
            assertTrue(status == 200 || status == 503, "status " + status);
            shed += status == 503 ? 1 : 0;
        }
        pool.shutdown();
        assertTrue(shed > 0, "no login was shed");
        assertTrue(audit.flush(10_000));
        List<Map<String, Object>> events = as(adminOnceHashingIsFree()).queryParam("recordType", "session").queryParam("from", before.toString())
                .queryParam("size", 500).get("/api/audit").then().statusCode(200).extract().jsonPath().getList("$");
        long audited = events.stream().filter(e -> "shed".equals(e.get("outcome")) && "login".equals(e.get("action"))
                && e.get("detail") instanceof Map<?, ?> d && user.email().equals(d.get("email"))).count();
        assertEquals(shed, audited, "every shed login is audited with its email");
    }

    /**
     * The admin's login, retried while the one slow hasher still works through the burst: with a
     * 1 ms queue wait it is shed (503) until then, as a client waiting Retry-After would be.
     */
    /**
     * A setup step that hashes (register, log in), retried while the one slow hasher is busy (at
     * start-up it hashes the configured admin's password): shed with 503 until then.
     */
    private static TestUser whenHashingIsFree(java.util.function.Supplier<TestUser> step) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return step.get();
            } catch (AssertionError busy) {
                if (!String.valueOf(busy.getMessage()).contains("503") || System.nanoTime() > deadline) {
                    throw busy;
                }
                Thread.sleep(200);
            }
        }
    }

    private static TestUser adminOnceHashingIsFree() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            var r = given().contentType(ContentType.JSON).body(Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD))
                    .post("/api/auth/login");
            if (r.statusCode() == 200) {
                return new TestUser(r.jsonPath().getLong("user.id"), ADMIN_EMAIL, r.jsonPath().getString("token"));
            }
            assertTrue(r.statusCode() == 503 && System.nanoTime() < deadline, "admin login: " + r.statusCode());
            Thread.sleep(200);
        }
    }
}
