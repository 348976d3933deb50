package org.acme.healthcare.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.acme.healthcare.it.support.Http;
import org.acme.healthcare.it.support.LocalCluster;
import org.acme.healthcare.it.support.Ports;
import org.acme.healthcare.it.support.ServiceJar;
import org.acme.healthcare.it.support.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Readiness follows the database, for real (was ops/readiness-check.sh): the cluster is
 * stopped (readiness DOWN because of the database, liveness UP, the API a 503 problem) and
 * started again (readiness UP, the API works, no restart). The same instance proves the
 * documented switch: Swagger UI off, the OpenAPI document still there.
 */
@Slow
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ReadinessIT {
    @Test
    void readinessFollowsTheDatabaseAndTheServiceRecoversWithoutRestart() throws Exception {
        try (LocalCluster db = LocalCluster.start(Ports.pg(0));
                ServiceJar app = ServiceJar.start("readiness", Ports.http(0), db, ServiceJar.Keys.generate(),
                        Map.of("QUARKUS_SWAGGER_UI_ENABLED", "false", "HEALTHCARE_DB_TIMEOUT", "3S"))) {
            app.awaitReady(Duration.ofSeconds(120));
            Http http = new Http(app.base());
            JsonNode ready = http.get("/q/health/ready", null, Duration.ofSeconds(5)).json();
            assertEquals("UP", ready.get("status").asText());
            assertTrue(databaseCheck(ready, "UP"), ready.toString());
            assertEquals(404, app.status("/q/swagger-ui/"), "QUARKUS_SWAGGER_UI_ENABLED=false did not switch Swagger UI off");
            assertEquals(200, app.status("/q/openapi"), "the OpenAPI document must stay when only the UI is off");

            db.stop();
            app.awaitStatus("/q/health/ready", 503, Duration.ofSeconds(30));
            Http.Answer down = http.get("/q/health/ready", null, Duration.ofSeconds(5));
            assertTrue(databaseCheck(down.json(), "DOWN"), "readiness DOWN but not because of the database: " + down.response().body());
            assertTrue(down.millis() < 3_000, "readiness took " + down.millis() + " ms");
            assertEquals(200, app.status("/q/health/live"), "liveness must stay UP during a database outage");
            Http.Answer login = http.send("POST", "/api/auth/login", null,
                    Map.of("email", "nobody@example.com", "password", "whatever-123"), Duration.ofSeconds(20));
            assertEquals(503, login.status(), "login without a database: " + login.response().body());
            assertTrue(login.header("Retry-After") != null);

            db.restart();
            app.awaitReady(Duration.ofSeconds(60));
            // A connection the restart broke may still fail one request: that is a 503 (retry), never
            // a 500; within seconds every request works again, without a restart of the service.
            Http.Answer register = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            do {
                register = http.send("POST", "/api/auth/register", null, Map.of("name", "Ready Check",
                        "email", "ready-" + UUID.randomUUID() + "@example.com", "password", Http.PASSWORD), Duration.ofSeconds(20));
                if (register.status() != 201) {
                    assertEquals(503, register.status(), "after the database returned: " + register.response().body());
                    Thread.sleep(500);
                }
            } while (register.status() != 201 && System.nanoTime() < deadline);
            assertEquals(201, register.status(), "register after the database returned: " + register.response().body());
        }
    }

    private static boolean databaseCheck(JsonNode health, String status) {
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals("Database connections health check")) {
                return check.get("status").asText().equals(status);
            }
        }
        return false;
    }
}
