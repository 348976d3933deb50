package org.acme.healthcare.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The data migrations on a database that has data: a throwaway database in the test cluster is
 * migrated to V3 (the released schema), given users, patients and audit events, then migrated
 * to the end. No event may be lost or changed, and every existing patient gets its baseline revision.
 */
@QuarkusTest
class MigrationsTest {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void existingEventsAndPatientsSurviveTheMigrations() throws Exception {
        String db = "migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        exec(dataSource, "create database " + db);
        try {
            String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class)
                    .replaceAll("/[^/?]+(\\?|$)", "/" + db + "$1");
            String user = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.username", String.class).orElse(null);
            String password = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.password", String.class).orElse(null);
            Flyway.configure().dataSource(url, user, password).target("3").load().migrate();
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                st.execute("insert into users (id, name, email, password_hash) values (1, 'U', 'u@example.com', 'x')");
                st.execute("insert into patients (owner_id, name, disease, version, updated_at)"
                        + " values (1, 'Old One', 'Asthma', 3, '2025-05-05T10:00:00Z'), (1, 'Old Two', null, 0, now())");
                // Events across months and years, as an old table would hold them.
                st.execute("insert into audit_events (occurred_at, actor_id, action, record_type, record_id, outcome)"
                        + " select timestamptz '2024-01-15T00:00:00Z' + (i || ' days')::interval, 1,"
                        + " (array['create','read','list','update','delete'])[1 + i % 5], 'patient', i, 'success'"
                        + " from generate_series(1, 900) i");
                List<String> before = dump(st);

                Flyway.configure().dataSource(url, user, password).load().migrate();

                assertEquals(before, dump(st), "every event kept, ids and values unchanged");
                assertEquals("p", one(st, "select relkind::text from pg_class where relname = 'audit_events'"));
                assertTrue(Integer.parseInt(one(st, "select count(*) from pg_inherits where inhparent = 'audit_events'::regclass")) > 30);
                st.execute("insert into audit_events (action, record_type, record_id, outcome) values ('purge', 'patient', 1, 'success')");
                assertEquals("901", one(st, "select max(id) from audit_events"), "ids continue after the old ones");
                assertEquals("2", one(st, "select count(*) from patients_history where revtype = 0"));
                assertEquals("3|Asthma|2025-05-05 10:00:00+00|null", one(st, "select h.version || '|' || h.disease || '|'"
                        + " || (r.changed_at at time zone 'UTC')::text || '+00|' || coalesce(r.actor_id::text, 'null')"
                        + " from patients_history h join history_revisions r on r.id = h.rev where h.name = 'Old One'"));
                st.execute("insert into history_revisions (changed_at) values (now())"); // the identity continues
            }
        } finally {
            exec(dataSource, "drop database if exists " + db + " with (force)");
        }
    }

    private static List<String> dump(Statement st) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("select id, occurred_at, actor_id, action, record_type, record_id, outcome"
                + " from audit_events order by id")) {
            while (rs.next()) {
                rows.add(rs.getLong(1) + "|" + rs.getObject(2) + "|" + rs.getLong(3) + "|" + rs.getString(4) + "|"
                        + rs.getString(5) + "|" + rs.getLong(6) + "|" + rs.getString(7));
            }
        }
        return rows;
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void exec(AgroalDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute(sql);
        }
    }
}
