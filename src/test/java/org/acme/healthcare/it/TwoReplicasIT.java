package org.acme.healthcare.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.acme.healthcare.it.support.Http;
import org.acme.healthcare.it.support.LocalCluster;
import org.acme.healthcare.it.support.Ports;
import org.acme.healthcare.it.support.ServiceJar;
import org.acme.healthcare.it.support.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two replicas of the packaged jar on one fresh, empty database, started at the same moment with
 * the same key pair and the same configured admin (was ops/two-replicas.sh): no start-up race
 * (one schema history, one admin), tokens of either work on both, data written through one is
 * read, listed and updated through the other, a stale If-Match across replicas is 412.
 */
@Slow
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TwoReplicasIT {
    @Test
    void twoReplicasShareOneDatabaseWithoutAStartUpRace() throws Exception {
        String adminEmail = "admin-" + UUID.randomUUID() + "@example.com";
        String adminPassword = "replica-admin-" + UUID.randomUUID();
        Map<String, String> env = Map.of("HEALTHCARE_ADMIN_EMAIL", adminEmail, "HEALTHCARE_ADMIN_PASSWORD", adminPassword);
        ServiceJar.Keys keys = ServiceJar.Keys.generate();
        try (LocalCluster db = LocalCluster.start(Ports.pg(1))) {
            assertEquals(0, db.queryLong("select count(*) from information_schema.tables where table_schema = 'public'"));
            try (ServiceJar a = ServiceJar.start("replica-a", Ports.http(1), db, keys, env);
                    ServiceJar b = ServiceJar.start("replica-b", Ports.http(2), db, keys, env)) {
                a.awaitReady(Duration.ofSeconds(150));
                b.awaitReady(Duration.ofSeconds(150));

                assertEquals(1, db.queryLong("select count(*) from users where role = 'admin'"), "one admin row");
                assertEquals(0, db.queryLong("select count(*) from (select version from flyway_schema_history"
                        + " where version is not null group by version having count(*) > 1) d"), "a migration applied twice");
                assertEquals(0, db.queryLong("select count(*) from flyway_schema_history where not success"));
                for (ServiceJar r : new ServiceJar[] { a, b }) {
                    assertFalse(r.logText().lines().anyMatch(l -> l.contains(" ERROR ") || l.contains(" FATAL ")),
                            r.name + " logged an error while starting:\n" + r.tail());
                }

                Http viaA = new Http(a.base());
                Http viaB = new Http(b.base());
                String email = "replica-" + UUID.randomUUID() + "@example.com";
                assertEquals(201, viaA.send("POST", "/api/auth/register", null,
                        Map.of("name", "Replica User", "email", email, "password", Http.PASSWORD), Duration.ofSeconds(20)).status());
                String tokenA = viaA.login(email);
                assertEquals(email, viaB.get("/api/auth/me", tokenA, Duration.ofSeconds(10)).json().get("email").asText(),
                        "replica B did not accept A's token");

                long id = viaA.createPatient(tokenA, "Replica Patient");
                assertEquals("Replica Patient", viaB.get("/api/patients/" + id, tokenA, Duration.ofSeconds(10))
                        .json().get("name").asText());
                assertEquals(1, viaB.get("/api/patients", tokenA, Duration.ofSeconds(10)).json().findValues("id").stream()
                        .filter(n -> n.asLong() == id).count(), "not listed through B");

                String tokenB = viaB.login(email);
                Http.Answer update = viaB.send("PUT", "/api/patients/" + id, tokenB, Map.of("age", 41), Duration.ofSeconds(10));
                assertEquals(200, update.status(), update.response().body());
                assertEquals(41, viaA.get("/api/patients/" + id, tokenB, Duration.ofSeconds(10)).json().get("age").asInt());
                Http.Answer stale = viaA.sendIfMatch("PUT", "/api/patients/" + id, tokenA, Map.of("age", 42), "\"0\"");
                assertEquals(412, stale.status(), "a stale If-Match through A after B's update");
                assertEquals("admin", new Http(b.base()).send("POST", "/api/auth/login", null,
                        Map.of("email", adminEmail, "password", adminPassword), Duration.ofSeconds(20))
                        .json().get("user").get("role").asText());
            }
        }
    }
}
