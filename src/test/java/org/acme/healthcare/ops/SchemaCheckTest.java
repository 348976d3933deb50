package org.acme.healthcare.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A replica that does not migrate at start refuses a schema older than its code
 * ({@link SchemaCheck}): each case runs the check against a throwaway schema of its own holding a
 * Flyway history as the case needs it.
 */
@QuarkusTest
class SchemaCheckTest {
    private static final Pattern MIGRATION = Pattern.compile("V(\\d+(?:[._]\\d+)*)__.*\\.(sql|java)");

    @Inject
    AgroalDataSource dataSource;

    /** Runs the check in schema {@code name}, created with the given history rows (version, success). */
    private String check(String name, String... rows) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + name + " cascade");
            s.execute("create schema " + name);
            try {
                s.execute("set search_path to " + name);
                if (rows.length > 0) {
                    s.execute("create table flyway_schema_history (installed_rank int primary key, version varchar(50),"
                            + " success boolean not null)");
                    for (int i = 0; i < rows.length; i++) {
                        String[] r = rows[i].split(":");
                        s.execute("insert into flyway_schema_history values (" + (i + 1) + ", "
                                + ("null".equals(r[0]) ? "null" : "'" + r[0] + "'") + ", " + r[1] + ")");
                    }
                }
                return SchemaCheck.verify(c, SchemaCheck.REQUIRED_VERSION);
            } finally {
                s.execute("set search_path to public");
                s.execute("drop schema " + name + " cascade");
            }
        }
    }

    private static String older() {
        return String.valueOf(Integer.parseInt(SchemaCheck.REQUIRED_VERSION) - 1);
    }

    private static String newer() {
        return String.valueOf(Integer.parseInt(SchemaCheck.REQUIRED_VERSION) + 1);
    }

    @Test
    void anEmptyDatabaseIsRefused() {
        SQLException e = assertThrows(SQLException.class, () -> check("schema_check_empty"));
        assertEquals("42P01", e.getSQLState(), "no flyway_schema_history: " + e.getMessage());
    }

    @Test
    void anEmptyHistoryIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> check("schema_check_none", "null:true"));
        assertTrue(e.getMessage().contains("(none)"), e.getMessage());
    }

    @Test
    void anOlderSchemaIsRefusedNamingBothVersions() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> check("schema_check_older", "1:true", "2:true", older() + ":true"));
        assertTrue(e.getMessage().contains("version " + older()), e.getMessage());
        assertTrue(e.getMessage().contains("needs version " + SchemaCheck.REQUIRED_VERSION), e.getMessage());
        assertTrue(e.getMessage().contains("QUARKUS_FLYWAY_ACTIVE=true"), e.getMessage());
    }

    @Test
    void aFailedMigrationToTheRequiredVersionDoesNotCount() {
        assertThrows(IllegalStateException.class,
                () -> check("schema_check_failed", older() + ":true", SchemaCheck.REQUIRED_VERSION + ":false"));
    }

    @Test
    void versionsCompareAsNumbersNotAsText() {
        // "9" > "18" as text: the check must not take a version 9 schema for a current one.
        assertThrows(IllegalStateException.class, () -> check("schema_check_text", "18.0.1:false", "9:true"));
        assertTrue(SchemaCheck.compare("9", "18") < 0);
        assertTrue(SchemaCheck.compare("18.1", "18") > 0);
        assertEquals(0, SchemaCheck.compare("18.0", "18"));
        assertTrue(SchemaCheck.compare("2_1", "2.0") > 0);
    }

    @Test
    void theCurrentSchemaIsAccepted() throws SQLException {
        assertEquals(SchemaCheck.REQUIRED_VERSION,
                check("schema_check_current", "1:true", SchemaCheck.REQUIRED_VERSION + ":true", "null:true"));
    }

    @Test
    void aNewerSchemaIsAcceptedDuringARollingUpdate() throws SQLException {
        assertEquals(newer(), check("schema_check_newer", SchemaCheck.REQUIRED_VERSION + ":true", newer() + ":true"));
    }

    @Test
    void theTestDatabaseMigratedAtStartIsCurrent() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            assertEquals(SchemaCheck.REQUIRED_VERSION, SchemaCheck.verify(c, SchemaCheck.REQUIRED_VERSION),
                    "Flyway migrated the test database to the version the code names");
        }
        given().when().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem(SchemaCheck.NAME));
    }

    @Test
    void theRequiredVersionIsTheHighestMigrationInTheSources() throws IOException {
        String highest = null;
        for (Path dir : new Path[] { Path.of("src/main/resources/db/migration"), Path.of("src/main/java/db/migration") }) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Matcher m = MIGRATION.matcher(f.getFileName().toString());
                    if (m.matches() && (highest == null || SchemaCheck.compare(m.group(1), highest) > 0)) {
                        highest = m.group(1);
                    }
                }
            }
        }
        assertEquals(highest, SchemaCheck.REQUIRED_VERSION,
                "a migration was added: raise SchemaCheck.REQUIRED_VERSION to it, or replicas that do not migrate at"
                        + " start would serve against the schema before it");
    }
}
