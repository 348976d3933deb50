package org.acme.healthcare.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.acme.healthcare.it.support.Http;
import org.acme.healthcare.it.support.LocalCluster;
import org.acme.healthcare.it.support.Ports;
import org.acme.healthcare.it.support.ServiceJar;
import org.acme.healthcare.it.support.Slow;
import org.acme.healthcare.ops.SchemaCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Kubernetes flow of issue 23 with the packaged jar on one fresh database: a replica that does
 * not migrate ({@code QUARKUS_FLYWAY_ACTIVE=false}) refuses an empty database; the init task
 * ({@code QUARKUS_INIT_AND_EXIT=true}, as the generated Job runs it) migrates and exits; then the
 * replica starts without touching the schema and serves; and a schema one version behind the code
 * is refused again, never served.
 */
@Slow
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MigrationInitTaskIT {
    private static final Map<String, String> REPLICA = Map.of("QUARKUS_FLYWAY_ACTIVE", "false");

    private static long tables(LocalCluster db) {
        return db.queryLong("select count(*) from information_schema.tables where table_schema = 'public'");
    }

    @Test
    void replicasServeOnlyOnceTheInitTaskHasMigratedAndNeverAnOlderSchema() throws Exception {
        ServiceJar.Keys keys = ServiceJar.Keys.generate();
        try (LocalCluster db = LocalCluster.start(Ports.pg(12))) {
            assertEquals(0, tables(db));

            // An empty database: the replica stops at once, naming why, and creates nothing.
            try (ServiceJar early = ServiceJar.start("init-task-early-replica", Ports.http(12), db, keys, REPLICA)) {
                int exit = early.awaitExit(Duration.ofSeconds(120));
                assertNotEquals(-1, exit, "the replica started on an empty database:\n" + early.tail());
                assertNotEquals(0, exit, early.tail());
                assertTrue(early.logText().contains("flyway_schema_history"), early.tail());
                assertTrue(early.logText().contains("QUARKUS_FLYWAY_ACTIVE=true"), early.tail());
            }
            assertEquals(0, tables(db), "a replica that does not migrate must not create anything");

            // The init task, as the generated Job runs it: migrate, then exit 0.
            try (ServiceJar job = ServiceJar.start("init-task-job", Ports.http(12), db, keys,
                    Map.of("QUARKUS_INIT_AND_EXIT", "true"))) {
                assertEquals(0, job.awaitExit(Duration.ofSeconds(150)), job.tail());
            }
            long applied = db.queryLong("select count(*) from flyway_schema_history");
            assertEquals(0, db.queryLong("select count(*) from flyway_schema_history where not success"));
            assertEquals(Long.parseLong(SchemaCheck.REQUIRED_VERSION),
                    db.queryLong("select max(cast(version as int)) from flyway_schema_history where success"));

            // Now the replica starts on the migrated schema, without Flyway, and serves.
            try (ServiceJar replica = ServiceJar.start("init-task-replica", Ports.http(12), db, keys, REPLICA)) {
                replica.awaitReady(Duration.ofSeconds(150));
                assertTrue(replica.logText().contains("not migrated at start"), replica.tail());
                Http http = new Http(replica.base());
                String email = "init-task-" + UUID.randomUUID() + "@example.com";
                assertEquals(201, http.send("POST", "/api/auth/register", null,
                        Map.of("name", "Init Task User", "email", email, "password", Http.PASSWORD), Duration.ofSeconds(20))
                        .status());
                String token = http.login(email);
                long id = http.createPatient(token, "Init Task Patient");
                assertEquals("Init Task Patient", http.get("/api/patients/" + id, token, Duration.ofSeconds(10))
                        .json().get("name").asText());
            }
            assertEquals(applied, db.queryLong("select count(*) from flyway_schema_history"), "the replica migrated");

            // One version behind the code (a Job that has not run for this release): refused again.
            try (var c = db.connect(); var s = c.createStatement()) {
                s.execute("delete from flyway_schema_history where version = '" + SchemaCheck.REQUIRED_VERSION + "'");
            }
            try (ServiceJar behind = ServiceJar.start("init-task-behind-replica", Ports.http(12), db, keys, REPLICA)) {
                int exit = behind.awaitExit(Duration.ofSeconds(120));
                assertNotEquals(-1, exit, "the replica served against an older schema:\n" + behind.tail());
                assertNotEquals(0, exit, behind.tail());
                assertTrue(behind.logText().contains("needs version " + SchemaCheck.REQUIRED_VERSION), behind.tail());
            }
        }
    }
}
