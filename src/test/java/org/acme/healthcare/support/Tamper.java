package org.acme.healthcare.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * What a DBA could do to the audit trail: statements run with
 * {@code session_replication_role = replica}, so the triggers that refuse changes do not fire.
 */
public final class Tamper {
    private Tamper() {
    }

    public static void asSuperuser(DataSource db, String... statements) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("set session_replication_role = replica");
            try {
                for (String s : statements) {
                    st.execute(s);
                }
            } finally {
                st.execute("set session_replication_role = origin");
            }
        }
    }
}
