package db.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * V5 on data it must fix and data it must refuse, in a schema of its own (a copy of {@code users}
 * as V4 left it), so the real table of the test database is never touched.
 */
@QuarkusTest
class NormaliseAccountEmailsMigrationTest {
    @Inject
    DataSource dataSource;

    private Connection connection;

    @BeforeEach
    void scratchSchema() throws SQLException {
        connection = dataSource.getConnection();
        try (Statement s = connection.createStatement()) {
            s.execute("drop schema if exists v5_test cascade");
            s.execute("create schema v5_test");
            s.execute("create table v5_test.users (like public.users including all)");
            s.execute("set search_path to v5_test");
        }
    }

    @AfterEach
    void dropIt() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("set search_path to public");
            s.execute("drop schema v5_test cascade");
        }
        connection.close();
    }

    private void insert(long id, String email) throws SQLException {
        try (var ps = connection.prepareStatement(
                "insert into users (id, name, email, password_hash, role) values (?, 'N', ?, 'x', 'user')")) {
            ps.setLong(1, id);
            ps.setString(2, email);
            ps.executeUpdate();
        }
    }

    private Map<Long, String> emails() throws SQLException {
        Map<Long, String> out = new LinkedHashMap<>();
        try (Statement s = connection.createStatement(); var rs = s.executeQuery("select id, email from users order by id")) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getString(2));
            }
        }
        return out;
    }

    private void migrate() throws Exception {
        new V5__normalise_account_emails().migrate(new Context() {
            @Override
            public Configuration getConfiguration() {
                return null;
            }

            @Override
            public Connection getConnection() {
                return connection;
            }
        });
    }

    @Test
    void storedEmailsAreBroughtUnderTheRule() throws Exception {
        insert(1, "\uff41lice@x.test"); // fullwidth a
        insert(2, "bo\u200bb@x.test"); // zero-width space
        insert(3, "ma\u0308x@x.test"); // decomposed ä
        insert(4, "plain@x.test");
        migrate();
        assertEquals(Map.of(1L, "alice@x.test", 2L, "bob@x.test", 3L, "m\u00e4x@x.test", 4L, "plain@x.test"), emails());
    }

    @Test
    void accountsThatWouldCollideStopTheMigrationAndNothingChanges() throws Exception {
        insert(1, "alice@x.test");
        insert(2, "\uff41lice@x.test");
        insert(3, "ma\u0308x@x.test");
        Map<Long, String> before = emails();
        IllegalStateException e = assertThrows(IllegalStateException.class, this::migrate);
        assertTrue(e.getMessage().contains("[1, 2]"), e.getMessage());
        assertTrue(!e.getMessage().contains("alice"), "no email in the message: " + e.getMessage());
        assertEquals(before, emails());
    }
}
