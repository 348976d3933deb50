package org.acme.healthcare.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.acme.healthcare.it.support.Http;
import org.acme.healthcare.it.support.LocalCluster;
import org.acme.healthcare.it.support.Ports;
import org.acme.healthcare.it.support.ServiceJar;
import org.acme.healthcare.it.support.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM under keep-alive load, as Kubernetes sends it: readiness turns DOWN at once, the
 * service keeps serving through the shutdown delay with {@code Connection: close} on every
 * response, a request in flight finishes, and no request that reached the service is cut off.
 * The clients send POSTs (never retried by the JDK client), each on its own keep-alive client.
 */
@Slow
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ShutdownIT {
    private static final int CLIENTS = 8;
    private static final long DELAY_MS = 3_000;

    @Test
    void sigtermUnderKeepAliveLoadCutsNoRequestOff() throws Exception {
        try (LocalCluster db = LocalCluster.start(Ports.pg(4));
                ServiceJar app = ServiceJar.start("shutdown", Ports.http(5), db, ServiceJar.Keys.generate(),
                        Map.of("HEALTHCARE_SHUTDOWN_DELAY", "3S", "HEALTHCARE_SHUTDOWN_TIMEOUT", "15S"))) {
            app.awaitReady(Duration.ofSeconds(120));
            Http http = new Http(app.base());
            String token = http.newUser();
            long patient = http.createPatient(token, "Shutdown Check");

            AtomicLong terminatedAt = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger okAfterTerm = new AtomicInteger();
            AtomicInteger closeHeaders = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            ConcurrentLinkedQueue<String> cutOff = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
            List<Future<?>> load = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                load.add(pool.submit(() -> {
                    HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(2)).build();
                    int n = 0;
                    boolean connectionOpen = false;
                    while (!stop.get()) {
                        long sinceTerm = terminatedAt.get() == 0 ? -1 : (System.nanoTime() - terminatedAt.get()) / 1_000_000;
                        // A client on an open keep-alive connection keeps sending on it, as long as the
                        // process runs. One whose connection was closed ("Connection: close") opens a new
                        // one, which reaches this replica only while the load balancer still routes to
                        // it: until shortly before the delay ends (readiness is DOWN from its start).
                        if (sinceTerm >= 0 && !connectionOpen && sinceTerm > DELAY_MS - 500) {
                            break;
                        }
                        // Sent well after SIGTERM (the JVM needs a moment to handle the signal and
                        // start the delay): a request sent just before that may be answered without it.
                        boolean afterTerm = sinceTerm > 300;
                        HttpRequest request = HttpRequest.newBuilder(URI.create(app.base() + "/api/doctors"))
                                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"name\":\"Dr Keepalive " + client + "-" + n++ + "\",\"specialization\":\"Load\"}"))
                                .build();
                        try {
                            HttpResponse<String> r = c.send(request, HttpResponse.BodyHandlers.ofString());
                            connectionOpen = !r.headers().firstValue("Connection").orElse("").equalsIgnoreCase("close");
                            if (r.statusCode() != 201) {
                                cutOff.add("status " + r.statusCode() + " at " + sinceTerm + " ms: " + r.body());
                            } else if (afterTerm) {
                                okAfterTerm.incrementAndGet();
                                if (!connectionOpen) {
                                    closeHeaders.incrementAndGet();
                                }
                            }
                        } catch (ConnectException e) {
                            refused.incrementAndGet();
                            connectionOpen = false;
                        } catch (IOException e) {
                            cutOff.add(e.getClass().getSimpleName() + " at " + sinceTerm + " ms: " + e.getMessage());
                            connectionOpen = false;
                        }
                    }
                    return null;
                }));
            }

            // A request in flight across the whole delay: it waits on a table lock for 5 s.
            Http.Answer[] inFlight = new Http.Answer[1];
            Future<?> slow;
            try (Connection locker = db.connect(); Statement s = locker.createStatement()) {
                locker.setAutoCommit(false);
                s.execute("lock table patients in access exclusive mode");
                slow = pool.submit(() -> {
                    inFlight[0] = http.get("/api/patients/" + patient, token, Duration.ofSeconds(30));
                    return null;
                });
                Thread.sleep(1_500); // load on keep-alive connections, the slow request waiting
                long start = System.nanoTime();
                terminatedAt.set(start);
                app.terminate();
                int ready = -1;
                while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2) && ready != 503) {
                    ready = app.status("/q/health/ready");
                }
                assertEquals(503, ready, "readiness did not turn DOWN at the start of the shutdown delay");
                assertEquals(200, app.status("/q/health/live"), "the service stopped serving before the delay ended");
                Thread.sleep(3_500 - (System.nanoTime() - start) / 1_000_000);
                locker.rollback();
            }
            slow.get(30, TimeUnit.SECONDS);
            int exit = app.awaitExit(Duration.ofSeconds(40));
            stop.set(true);
            for (Future<?> f : load) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdownNow();

            assertTrue(exit == 0 || exit == 143, "exit status " + exit + "\n" + app.tail());
            assertEquals(200, inFlight[0].status(), "the request in flight at SIGTERM: " + inFlight[0].response().body());
            assertTrue(cutOff.isEmpty(), cutOff.size() + " requests cut off, e.g. " + cutOff.peek());
            assertTrue(okAfterTerm.get() > 0, "nothing was served during the shutdown delay");
            assertEquals(okAfterTerm.get(), closeHeaders.get(), "a response during the delay without Connection: close");
            assertEquals(0, refused.get(), "a client was refused although it stopped opening connections in time");
            assertTrue(app.logText().contains("stopped in"), "no orderly Quarkus shutdown in the log");
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
