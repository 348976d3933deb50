package org.acme.healthcare.ops;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;

/**
 * A replica that does not migrate at start (Kubernetes: {@code QUARKUS_FLYWAY_ACTIVE=false}, the
 * migrations run once in the {@code healthcare-api-flyway-init} Job) still refuses to serve
 * against a schema older than its code: at start it reads the highest successful version in
 * Flyway's history (one query, no Flyway start-up) and stops, naming the versions, when it is below
 * {@link #REQUIRED_VERSION} or the history is missing. A newer schema is accepted (during a rolling
 * update the new version's Job migrates while old replicas still serve; migrations stay
 * backward-compatible for one release). Readiness is DOWN until the check has passed. When Flyway
 * migrates at start (the default: {@code ./mvnw quarkus:dev}, the tests, a standalone
 * {@code docker run}), Flyway itself has brought the schema to the current version before this runs.
 */
@ApplicationScoped
@Readiness
public class SchemaCheck implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(SchemaCheck.class);
    static final String NAME = "Database schema";
    /**
     * The highest migration this code needs (src/main/resources/db/migration, src/main/java/db/migration).
     * SchemaCheckTest fails when a migration is added without raising it.
     */
    public static final String REQUIRED_VERSION = "19";
    static final String HISTORY = "select version from flyway_schema_history where success and version is not null";

    private final AgroalDataSource dataSource;
    private final boolean migratesAtStart;
    private volatile boolean checked;

    SchemaCheck(AgroalDataSource dataSource, Config config) {
        this.dataSource = dataSource;
        this.migratesAtStart = config.getOptionalValue("quarkus.flyway.active", Boolean.class).orElse(true)
                && config.getOptionalValue("quarkus.flyway.migrate-at-start", Boolean.class).orElse(false);
    }

    /** After the default observers (the token key check names missing keys first, without a database). */
    void onStart(@Observes @Priority(2600) StartupEvent event) {
        if (!migratesAtStart) {
            try (Connection c = dataSource.getConnection()) {
                String found = verify(c, REQUIRED_VERSION);
                LOG.infof("Database schema at version %s (this code needs %s); not migrated at start", found, REQUIRED_VERSION);
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot read the database schema's version (flyway_schema_history): "
                        + e.getMessage() + ". Run the migrations first (the flyway-init Job, or start with QUARKUS_FLYWAY_ACTIVE=true).", e);
            }
        }
        checked = true;
    }

    /**
     * The highest successful version in the history when it is at least {@code required}; else an
     * {@link IllegalStateException} that names both. SQLException when the history cannot be read.
     */
    static String verify(Connection c, String required) throws SQLException {
        Optional<String> highest = Optional.empty();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(HISTORY)) {
            while (rs.next()) {
                String v = rs.getString(1);
                if (highest.isEmpty() || compare(v, highest.get()) > 0) {
                    highest = Optional.of(v);
                }
            }
        }
        if (highest.isEmpty() || compare(highest.get(), required) < 0) {
            throw new IllegalStateException("The database schema is at version " + highest.orElse("(none)")
                    + " but this code needs version " + required + ". Run the migrations first (the flyway-init Job,"
                    + " or start one replica with QUARKUS_FLYWAY_ACTIVE=true); refusing to serve against an older schema.");
        }
        return highest.get();
    }

    /** Flyway's version order: dot- or underscore-separated numbers, compared part by part. */
    static int compare(String a, String b) {
        long[] x = parts(a);
        long[] y = parts(b);
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? x[i] : 0;
            long q = i < y.length ? y[i] : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    private static long[] parts(String version) {
        return Arrays.stream(version.split("[._]")).mapToLong(Long::parseLong).toArray();
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME);
        return checked ? response.up().build() : response.down().withData("state", "not checked yet").build();
    }
}
