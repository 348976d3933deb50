package org.acme.healthcare.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
import java.util.stream.Collectors;

import org.acme.healthcare.it.support.Http;
import org.acme.healthcare.it.support.LocalCluster;
import org.acme.healthcare.it.support.Ports;
import org.acme.healthcare.it.support.ServiceJar;
import org.acme.healthcare.it.support.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 under writes: every write the service acknowledged (201 with an id) is there after a
 * restart, with its audit event; a crash loses only what was never acknowledged.
 */
@Slow
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrashIT {
    private static final int WRITERS = 6;

    @Test
    void everyAcknowledgedWriteSurvivesKillMinus9() throws Exception {
        ServiceJar.Keys keys = ServiceJar.Keys.generate();
        try (LocalCluster db = LocalCluster.start(Ports.pg(3))) {
            String token;
            ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
            try (ServiceJar app = ServiceJar.start("crash", Ports.http(4), db, keys, Map.of())) {
                app.awaitReady(Duration.ofSeconds(120));
                Http http = new Http(app.base());
                token = http.newUser();
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
                List<Future<?>> running = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    running.add(writers.submit(() -> {
                        for (int n = 0; !stop.get(); n++) {
                            try {
                                Http.Answer a = http.send("POST", "/api/patients", token,
                                        Map.of("name", "Crash " + writer + "-" + n, "disease", "Durability"), Duration.ofSeconds(10));
                                if (a.status() == 201) {
                                    acknowledged.add(a.json().get("id").asLong());
                                }
                            } catch (IOException e) {
                                // the process is gone: this write was never acknowledged
                            }
                        }
                        return null;
                    }));
                }
                Thread.sleep(2_500);
                app.kill();
                stop.set(true);
                for (Future<?> f : running) {
                    f.get(30, TimeUnit.SECONDS);
                }
                writers.shutdownNow();
            }
            assertTrue(acknowledged.size() >= 10, "too few writes before the crash: " + acknowledged.size());
            String ids = acknowledged.stream().map(String::valueOf).collect(Collectors.joining(","));
            assertEquals(acknowledged.size(), db.queryLong("select count(*) from patients where id in (" + ids + ")"),
                    "an acknowledged patient is missing after kill -9");
            assertEquals(acknowledged.size(), db.queryLong("select count(distinct record_id) from audit_events"
                    + " where record_type = 'patient' and action = 'create' and outcome = 'success' and record_id in (" + ids + ")"),
                    "an acknowledged create has no audit event");

            try (ServiceJar again = ServiceJar.start("crash-restarted", Ports.http(4), db, keys, Map.of())) {
                again.awaitReady(Duration.ofSeconds(120));
                Http http = new Http(again.base());
                long sample = acknowledged.peek();
                assertEquals(200, http.get("/api/patients/" + sample, token, Duration.ofSeconds(10)).status(),
                        "the restarted service does not serve an acknowledged patient");
            }
        }
    }
}
