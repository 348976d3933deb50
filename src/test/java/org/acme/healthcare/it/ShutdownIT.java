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
                        // it: until shortly before the delay ends (readiness is DOWN from its start), and
                        // before the listener closes, half a second before that end.
                        if (sinceTerm >= 0 && !connectionOpen && sinceTerm > DELAY_MS - 1_000) {
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

    /**
     * Requests sent across the listener's close (half a second before the shutdown delay ends),
     * each on a new connection, as fast as the clients can: every one is answered (200) or refused
     * at connect (ECONNREFUSED), never accepted and then reset or closed without an answer. Before
     * the listener was closed, ~15 requests of the 100 ms after the delay were reset: accepted by a
     * service that was stopping, then cut off when Vert.x closed. When it closed exactly at the
     * delay's end, a connection accepted last whose request was read only after Quarkus' graceful
     * phase had found nothing in flight was closed without an answer (once in ~4 runs on a loaded
     * box). Half the requests read a patient (database, audit), half ask liveness (neither).
     */
    @Test
    void requestsAfterTheDelayAreRefusedAtConnectNeverReset() throws Exception {
        try (LocalCluster db = LocalCluster.start(Ports.pg(11));
                ServiceJar app = ServiceJar.start("shutdown-listener", Ports.http(11), db, ServiceJar.Keys.generate(),
                        Map.of("HEALTHCARE_SHUTDOWN_DELAY", "2S", "HEALTHCARE_SHUTDOWN_TIMEOUT", "15S"))) {
            app.awaitReady(Duration.ofSeconds(120));
            Http http = new Http(app.base());
            String token = http.newUser();
            long patient = http.createPatient(token, "Listener Check");

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong terminatedAt = new AtomicLong();
            AtomicInteger answeredAfterDelay = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicLong firstRefusalMs = new AtomicLong(Long.MAX_VALUE);
            ConcurrentLinkedQueue<String> cutOff = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> load = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String path = i % 2 == 0 ? "/api/patients/" + patient : "/q/health/live";
                load.add(pool.submit(() -> {
                    while (!stop.get()) {
                        long sinceTerm = terminatedAt.get() == 0 ? -1 : (System.nanoTime() - terminatedAt.get()) / 1_000_000;
                        Outcome o = rawGet(app.port, path, token);
                        if (o.status() == 200) {
                            if (sinceTerm > 1_500) {
                                answeredAfterDelay.incrementAndGet();
                            }
                        } else if (o.status() == REFUSED) {
                            refused.incrementAndGet();
                            firstRefusalMs.accumulateAndGet(sinceTerm < 0 ? 0 : sinceTerm, Math::min);
                            sleep(2); // nothing listens: do not spin
                        } else {
                            cutOff.add(o.what() + " at " + sinceTerm + " ms after SIGTERM");
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(1_000);
            terminatedAt.set(System.nanoTime());
            app.terminate();
            int exit = app.awaitExit(Duration.ofSeconds(40));
            Thread.sleep(300); // and a moment after the exit: refused, of course
            stop.set(true);
            for (Future<?> f : load) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdownNow();

            String summary = "answered after the listener's close " + answeredAfterDelay + ", refused " + refused + " (first at "
                    + firstRefusalMs + " ms), cut off " + cutOff.size() + (cutOff.isEmpty() ? "" : ", e.g. " + cutOff.peek());
            assertTrue(exit == 0 || exit == 143, "exit status " + exit + "\n" + app.tail());
            assertTrue(cutOff.isEmpty(), summary);
            assertTrue(refused.get() > 0, "nothing was refused: " + summary);
            // The listener closes half a second before the 2 s delay ends (ListenerShutdown#acceptMargin).
            assertTrue(firstRefusalMs.get() >= 1_400, "refused before the listener closed: " + summary);
            assertTrue(app.logText().contains("HTTP listener closed"), "the listener was not closed first\n" + app.tail());
            assertTrue(app.logText().contains("stopped in"), "no orderly Quarkus shutdown in the log");
            System.out.println("ShutdownIT listener: " + summary);
        }
    }

    private static final int REFUSED = -1;

    /** What a request got: a status, REFUSED at connect, or 0 with what went wrong. */
    private record Outcome(int status, String what) {
    }

    /** One GET on a new connection ({@code Connection: close}), read to the end. */
    private static Outcome rawGet(int port, String path, String token) {
        java.net.Socket s = new java.net.Socket();
        try (s) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] answer = s.getInputStream().readAllBytes();
            String head = new String(answer, 0, Math.min(answer.length, 12), java.nio.charset.StandardCharsets.US_ASCII);
            if (!head.startsWith("HTTP/1.1 ") || head.length() < 12) {
                return new Outcome(0, "closed without an answer (" + answer.length + " bytes)");
            }
            return new Outcome(Integer.parseInt(head.substring(9, 12)), "status " + head.substring(9, 12));
        } catch (ConnectException e) {
            return new Outcome(REFUSED, "refused");
        } catch (IOException e) {
            return new Outcome(0, e.getClass().getSimpleName() + ": " + e.getMessage());
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
