package org.acme.healthcare.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.acme.healthcare.it.support.Http;
import org.acme.healthcare.it.support.LocalCluster;
import org.acme.healthcare.it.support.Ports;
import org.acme.healthcare.it.support.ServiceJar;
import org.acme.healthcare.it.support.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A login flood is shed, not queued, and shedding costs next to nothing: 256 connections post
 * logins for 5 s at production bcrypt cost, against the image's JVM flags and the default
 * worker pool. Logins beyond the admission capacity ({@code user/LoginAdmission}) get 503 +
 * Retry-After from the event loop at once, the admitted ones are served, reads of a patient and
 * the health probes keep answering fast, and when the flood ends every admission place is given
 * back (the in-flight gauge is 0). Before the event-loop admission, a refused login still took
 * a worker thread and a database connection: the 503s took ~1 s and reads ~1-2.5 s.
 * The latency bounds here are loose for a shared CI machine; the benchmark has the real figures.
 */
@Slow
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoginFloodIT {
    private static final int LOGINS = 256;
    private static final int READERS = 4;
    private static final long FLOOD_MS = 5_000;

    @Test
    void aLoginFloodIsShedWith503AndReadsKeepFlowing() throws Exception {
        try (LocalCluster db = LocalCluster.start(Ports.pg(6));
                ServiceJar app = ServiceJar.start("login-flood", Ports.http(7), db, ServiceJar.Keys.generate(),
                        Map.of("HEALTHCARE_BCRYPT_COST", "10",
                                // One account from one client, 256 at once: every attempt takes a throttle
                                // slot before its check, so the limits are raised to measure shedding alone.
                                "HEALTHCARE_LOGIN_MAX_FAILURES_PER_EMAIL_AND_CLIENT", "100000",
                                "HEALTHCARE_LOGIN_MAX_FAILURES_PER_EMAIL", "100000",
                                "HEALTHCARE_LOGIN_MAX_FAILURES_PER_CLIENT", "100000"))) {
            app.awaitReady(Duration.ofSeconds(120));
            Http http = new Http(app.base());
            String email = "flood-" + UUID.randomUUID() + "@example.com";
            assertEquals(201, http.send("POST", "/api/auth/register", null,
                    Map.of("name", "Flood Check", "email", email, "password", Http.PASSWORD), Duration.ofSeconds(20)).status());
            String token = http.login(email);
            long patient = http.createPatient(token, "Flood Check");
            // Correct passwords: every login needs a bcrypt check (failed ones would soon be throttled).
            String body = "{\"email\":\"" + email + "\",\"password\":\"" + Http.PASSWORD + "\"}";

            Map<Integer, AtomicInteger> loginStatuses = new ConcurrentHashMap<>();
            List<Long> shedMillis = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger shedWithoutRetryAfter = new AtomicInteger();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            Semaphore inFlight = new Semaphore(LOGINS);
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLOOD_MS);

            ExecutorService readers = Executors.newFixedThreadPool(READERS + 3);
            // Kubernetes' probes during the flood, each on its own schedule: a probe that times out
            // counts towards marking the pod unready (readiness) or restarting it (liveness).
            Map<String, Future<List<Long>>> probes = new java.util.LinkedHashMap<>();
            for (String probe : List.of("/q/health/live", "/q/health/ready")) {
                probes.put(probe, readers.submit(() -> {
                    List<Long> millis = new ArrayList<>();
                    Thread.sleep(1_000);
                    while (System.nanoTime() < end) {
                        Http.Answer a = http.get(probe, null, Duration.ofSeconds(10));
                        assertEquals(200, a.status(), probe + " during the flood: " + a.response().body());
                        millis.add(a.millis());
                        Thread.sleep(200);
                    }
                    return millis;
                }));
            }
            // The refusal's own latency, one login at a time beside the flood (whose closed loop of
            // 256 connections measures mostly the load generator's queue).
            // Sent every 100 ms without waiting for the previous answer: a probe that is admitted
            // waits for its hash (seconds, behind the flood), and a probe that waited for it sent
            // only one or two more, so how many refusals it saw depended on the machine's speed.
            Future<List<Long>> shedProbe = readers.submit(() -> {
                List<Long> millis = java.util.Collections.synchronizedList(new ArrayList<>());
                HttpClient lone = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<CompletableFuture<?>> sent = new ArrayList<>();
                Thread.sleep(1_000);
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    HttpRequest request = HttpRequest.newBuilder(URI.create(app.base() + "/api/auth/login"))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    sent.add(lone.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenAccept(r -> {
                        if (r.statusCode() == 503) {
                            millis.add((System.nanoTime() - start) / 1_000_000);
                        }
                    }));
                    Thread.sleep(100);
                }
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).handle((v, e) -> null).get(45, TimeUnit.SECONDS);
                return new ArrayList<>(millis);
            });
            List<Future<List<Long>>> reads = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                reads.add(readers.submit(() -> {
                    List<Long> millis = new ArrayList<>();
                    Thread.sleep(1_000); // the flood is under way
                    while (System.nanoTime() < end) {
                        Http.Answer a = http.get("/api/patients/" + patient, token, Duration.ofSeconds(30));
                        assertEquals(200, a.status(), "a read during the flood: " + a.response().body());
                        millis.add(a.millis());
                    }
                    return millis;
                }));
            }
            List<CompletableFuture<?>> logins = new ArrayList<>();
            while (System.nanoTime() < end) {
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                long start = System.nanoTime();
                HttpRequest request = HttpRequest.newBuilder(URI.create(app.base() + "/api/auth/login"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                logins.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                    inFlight.release();
                    int status = e != null ? -1 : r.statusCode();
                    loginStatuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                    if (status == 503) {
                        shedMillis.add((System.nanoTime() - start) / 1_000_000);
                        if (r.headers().firstValue("Retry-After").isEmpty()) {
                            shedWithoutRetryAfter.incrementAndGet();
                        }
                    }
                }));
            }
            List<Long> readMillis = new ArrayList<>();
            for (Future<List<Long>> f : reads) {
                readMillis.addAll(f.get(60, TimeUnit.SECONDS));
            }
            Map<String, List<Long>> probeMillisByPath = new java.util.LinkedHashMap<>();
            for (var e : probes.entrySet()) {
                probeMillisByPath.put(e.getKey(), e.getValue().get(60, TimeUnit.SECONDS));
            }
            List<Long> probeMillis = probeMillisByPath.values().stream().flatMap(List::stream).toList();
            List<Long> shedProbeMillis = shedProbe.get(60, TimeUnit.SECONDS);
            readers.shutdownNow();
            CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new)).handle((v, e) -> null).get(60, TimeUnit.SECONDS);

            int shed = loginStatuses.getOrDefault(503, new AtomicInteger()).get();
            String summary = "login statuses " + loginStatuses + ", reads " + readMillis.size() + ", read p99 "
                    + percentile(readMillis, 99) + " ms, flood 503 p50 " + percentile(shedMillis, 50) + " ms, p99 "
                    + percentile(shedMillis, 99) + " ms, lone 503s " + shedProbeMillis.size() + " p50 "
                    + percentile(shedProbeMillis, 50) + " ms max " + percentile(shedProbeMillis, 100) + " ms, probes "
                    + probeMillis.size() + " max " + percentile(probeMillis, 100) + " ms " + probeMillisByPath;
            assertTrue(shed > 0, "no login was shed: " + summary);
            assertEquals(0, shedWithoutRetryAfter.get(), "a 503 without Retry-After: " + summary);
            assertTrue(loginStatuses.getOrDefault(200, new AtomicInteger()).get() > 0, "no login was served: " + summary);
            assertTrue(loginStatuses.keySet().stream().allMatch(s -> s == 200 || s == 503), summary);
            // Loose bounds on a shared CI machine (the benchmark has the real figures); before the fix
            // no login was shed at all and every read waited behind the queued logins.
            // The target is a 503 p99 of 100 ms and reads p99 of 250 ms (issue 23, on the bench);
            // before the event-loop admission the median 503 took ~1 s and reads p50 ~1 s.
            // Bounds loose enough for a shared CI machine (the benchmark has the real figures).
            // ~80 lone logins; those admitted in a moment a place was free wait for their hash, the
            // others are refused at once.
            assertTrue(shedProbeMillis.size() >= 3, "the lone logins were not refused: " + summary);
            assertTrue(percentile(shedProbeMillis, 50) < 250, "shedding is not at once: " + summary);
            assertTrue(readMillis.size() >= 10, "reads stalled: " + summary);
            assertTrue(percentile(readMillis, 99) < 4_000, "reads slowed down: " + summary);
            // The probes' timeout is 1 s (Kubernetes' default, the manifests'): a pod is marked
            // unready after 2 failed readiness probes in a row and restarted after 3 failed liveness
            // probes. Every probe answers 200 (checked as it runs); none takes twice the timeout,
            // and no two in a row go over it, so the flood never marks the pod unready or restarts it.
            for (var e : probeMillisByPath.entrySet()) {
                List<Long> ms = e.getValue();
                assertTrue(ms.size() >= 5, "too few probes of " + e.getKey() + ": " + summary);
                assertTrue(percentile(ms, 100) < 2_000, e.getKey() + " was slow during the flood: " + summary);
                for (int i = 1; i < ms.size(); i++) {
                    assertTrue(ms.get(i - 1) < 1_000 || ms.get(i) < 1_000, e.getKey() + " timed out twice in a row: " + summary);
                }
            }
            // Every admission place came back once the flood was over (no leak on any path).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String loginsInFlight;
            while (!"0.0".equals(loginsInFlight = metric(http, "healthcare_logins_in_flight")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals("0.0", loginsInFlight, "logins still in flight after the flood: " + summary);
            System.out.println("LoginFloodIT: " + summary);
        }
    }

    /** A gauge's value from /q/metrics (Prometheus text), or null. */
    private static String metric(Http http, String name) throws Exception {
        for (String line : http.get("/q/metrics", null, Duration.ofSeconds(10)).response().body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return line.substring(line.lastIndexOf(' ') + 1);
            }
        }
        return null;
    }

    private static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
