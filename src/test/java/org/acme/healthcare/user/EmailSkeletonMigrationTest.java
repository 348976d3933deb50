package org.acme.healthcare.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * V10 on a database that already holds look-alike accounts: it does not stop, the oldest account of
 * each look-alike group keeps the skeleton, the later ones are left NULL, and from then on the unique
 * index refuses any new look-alike. A throwaway database in the test cluster, migrated to V8 first.
 */
@QuarkusTest
class EmailSkeletonMigrationTest {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void existingLookAlikesDoNotStopTheMigrationAndTheOldestKeepsTheSkeleton() throws Exception {
        String db = "skeletons_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        exec("create database " + db);
        try {
            String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class)
                    .replaceAll("/[^/?]+(\\?|$)", "/" + db + "$1");
            String user = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.username", String.class).orElse(null);
            String password = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.password", String.class).orElse(null);
            Flyway.configure().dataSource(url, user, password).target("8").load().migrate();
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                // Id 1 is the newest of the alice group: "oldest" is by created_at, not by id.
                st.execute("insert into users (id, name, email, password_hash, created_at) values"
                        + " (1, 'Newest', 'al\u0456ce@example.org', 'x', '2026-03-01T00:00:00Z'),"
                        + " (2, 'Oldest', '\u0430lice@example.org', 'x', '2025-01-01T00:00:00Z'),"
                        + " (3, 'Middle', 'alice@example.org', 'x', '2025-06-01T00:00:00Z'),"
                        + " (4, 'Bob', 'bob@example.org', 'x', '2025-06-01T00:00:00Z')");

                Flyway.configure().dataSource(url, user, password).load().migrate();

                String alice = Emails.skeleton("alice@example.org");
                assertEquals("1|null", one(st, "select id || '|' || coalesce(email_skeleton, 'null') from users where id = 1"));
                assertEquals("2|" + alice, one(st, "select id || '|' || coalesce(email_skeleton, 'null') from users where id = 2"));
                assertEquals("3|null", one(st, "select id || '|' || coalesce(email_skeleton, 'null') from users where id = 3"));
                assertEquals(Emails.skeleton("bob@example.org"), one(st, "select email_skeleton from users where id = 4"));
                SQLException refused = assertThrows(SQLException.class, () -> st.execute(
                        "insert into users (name, email, email_skeleton, password_hash) values ('New', 'a1ice@example.org', '"
                                + alice + "', 'x')"));
                assertEquals("23505", refused.getSQLState());
            }
        } finally {
            exec("drop database if exists " + db + " with (force)");
        }
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void exec(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute(sql);
        }
    }
}
