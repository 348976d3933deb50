package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.support.Api;
import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Login admission ({@link LoginAdmission}) with room for two logins and slow hashes: a third
 * login is refused on the event loop (503 problem + Retry-After, no throttle slot, audited with
 * its email), and the places always come back, whatever the clients do.
 */
@QuarkusTest
@TestProfile(LoginAdmissionTest.TwoPlaces.class)
class LoginAdmissionTest {
    private static final int CAPACITY = 2;

    public static class TwoPlaces implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("healthcare.password.login-capacity", String.valueOf(CAPACITY),
                    "healthcare.password.hashing-threads", "1", "healthcare.password.bcrypt-cost", "12",
                    // Many logins of one account from one client at once: the throttle is not under test here.
                    "healthcare.login.max-failures-per-email-and-client", "100000",
                    "healthcare.login.max-failures-per-email", "100000");
        }
    }

    @Inject
    LoginAdmission admission;

    @Inject
    AuditLog audit;

    @Inject
    EntityManager em;

    @TestHTTPResource("/")
    URL base;

    @Test
    void aLoginBeyondTheCapacityIsRefusedAtOnceWithoutAThrottleSlot() throws Exception {
        TestUser holder = whenFree(Api::newUser);
        String refusedEmail = "shed-" + java.util.UUID.randomUUID() + "@example.com";
        Instant before = Instant.now().minusSeconds(1);
        ExecutorService pool = Executors.newFixedThreadPool(CAPACITY);
        try {
            List<Future<Integer>> held = new ArrayList<>();
            // Both places taken by slow logins, kept busy until the refused one is answered.
            AtomicBoolean more = new AtomicBoolean(true);
            for (int i = 0; i < CAPACITY; i++) {
                held.add(pool.submit(() -> {
                    int ok = 0;
                    while (more.get()) {
                        ok += loginStatus(holder.email(), PASSWORD) == 200 ? 1 : 0;
                    }
                    return ok;
                }));
            }
            awaitInFlight(CAPACITY);
            long start = System.nanoTime();
            Response refused = given().contentType(ContentType.JSON)
                    .body(Map.of("email", " " + refusedEmail.toUpperCase(java.util.Locale.ROOT), "password", PASSWORD))
                    .post("/api/auth/login");
            long millis = (System.nanoTime() - start) / 1_000_000;
            more.set(false);
            assertEquals(503, refused.statusCode(), refused.asString());
            assertEquals("5", refused.header("Retry-After"));
            assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
            assertEquals("urn:problem-type:healthcare:unavailable", refused.jsonPath().getString("type"));
            assertEquals("/api/auth/login", refused.jsonPath().getString("instance"));
            assertTrue(refused.header("X-Request-Id") != null, "the refusal has its request id");
            // A cost-12 hash takes hundreds of ms: the refusal did not wait for one.
            assertTrue(millis < 1_000, "refused after " + millis + " ms");
            for (Future<Integer> f : held) {
                assertTrue(f.get(120, TimeUnit.SECONDS) > 0, "the admitted logins were served");
            }
            // No throttle slot was taken for the refused email: no database work at all for it.
            Number slots = (Number) em.createNativeQuery("select count(*) from login_throttle where throttle_key = :k")
                    .setParameter("k", LoginThrottle.emailKey(refusedEmail)).getSingleResult();
            assertEquals(0, slots.intValue());
            assertTrue(audit.flush(10_000));
            List<Map<String, Object>> events = as(whenFree(Api::admin)).queryParam("recordType", "session")
                    .queryParam("from", before.toString()).queryParam("size", 500).get("/api/audit")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            assertEquals(1, events.stream().filter(e -> "shed".equals(e.get("outcome")) && "login".equals(e.get("action"))
                    && e.get("detail") instanceof Map<?, ?> d && refusedEmail.equals(d.get("email"))
                    && "127.0.0.1".equals(e.get("clientAddress"))).count(), "the shed login is audited with its normalised email: " + events);
        } finally {
            pool.shutdownNow();
        }
        awaitInFlight(0);
    }

    /**
     * Rounds of clients that give up in every way (close before the answer, send half a body,
     * send a malformed one, wait for their answer) beyond the capacity: the count never passes
     * the capacity or goes negative while they race, and comes back to zero, so a login then gets in.
     */
    @Test
    void placesComeBackWhateverTheClientsDo() throws Exception {
        TestUser user = whenFree(Api::newUser);
        String body = "{\"email\":\"" + user.email() + "\",\"password\":\"" + PASSWORD + "\"}";
        AtomicBoolean racing = new AtomicBoolean(true);
        AtomicInteger lowest = new AtomicInteger();
        AtomicInteger highest = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<?> watcher = pool.submit(() -> {
                while (racing.get()) {
                    int n = admission.inFlight();
                    lowest.accumulateAndGet(n, Math::min);
                    highest.accumulateAndGet(n, Math::max);
                }
            });
            AtomicInteger statuses = new AtomicInteger();
            for (int round = 0; round < 10; round++) {
                List<Future<?>> clients = new ArrayList<>();
                clients.add(pool.submit(() -> rawLogin(body, Ending.CLOSE_AT_ONCE)));
                clients.add(pool.submit(() -> rawLogin(body, Ending.CLOSE_AT_ONCE)));
                clients.add(pool.submit(() -> rawLogin(body, Ending.HALF_A_BODY)));
                clients.add(pool.submit(() -> statuses.addAndGet(rawLogin("{\"email\":", Ending.READ_ANSWER))));
                clients.add(pool.submit(() -> statuses.addAndGet(rawLogin(body, Ending.READ_ANSWER))));
                for (Future<?> f : clients) {
                    f.get(120, TimeUnit.SECONDS);
                }
            }
            awaitInFlight(0);
            racing.set(false);
            watcher.get(10, TimeUnit.SECONDS);
            assertTrue(statuses.get() > 0, "some answers were read");
        } finally {
            racing.set(false);
            pool.shutdownNow();
        }
        assertEquals(0, lowest.get(), "the count went negative");
        assertTrue(highest.get() <= CAPACITY, "above the capacity: " + highest.get());
        assertEquals(200, whenFreeStatus(user.email()), "a login after the races gets in");
    }

    private enum Ending {
        CLOSE_AT_ONCE, HALF_A_BODY, READ_ANSWER
    }

    /** A login over a raw connection, ended as told; the status when the answer was read, else 0. */
    private int rawLogin(String body, Ending ending) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int declared = ending == Ending.HALF_A_BODY ? bytes.length * 2 : bytes.length;
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + declared + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            if (ending != Ending.READ_ANSWER) {
                sleep(ending == Ending.HALF_A_BODY ? 50 : 5);
                return 0;
            }
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String status = new String(head, StandardCharsets.US_ASCII);
            return status.startsWith("HTTP/1.1 ") ? Integer.parseInt(status.substring(9, 12)) : 0;
        }
    }

    private void awaitInFlight(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (admission.inFlight() != n) {
            assertTrue(System.nanoTime() < deadline, "in flight " + admission.inFlight() + ", waited for " + n);
            Thread.sleep(10);
        }
    }

    private static int loginStatus(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api/auth/login").statusCode();
    }

    private static int whenFreeStatus(String email) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int status;
        while ((status = loginStatus(email, PASSWORD)) == 503 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return status;
    }

    /** A setup step that logs in, retried while both places are taken (503). */
    private static TestUser whenFree(java.util.function.Supplier<TestUser> step) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return step.get();
            } catch (AssertionError busy) {
                if (!String.valueOf(busy.getMessage()).contains("503") || System.nanoTime() > deadline) {
                    throw busy;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
