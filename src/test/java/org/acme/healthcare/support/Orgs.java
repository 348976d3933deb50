package org.acme.healthcare.support;

import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Organizations and memberships written straight into the database, for the tests of what
 * membership grants on patients (the organization routes have their own tests).
 */
public final class Orgs {
    private Orgs() {
    }

    public static long create(DataSource db, String name, long adminUserId) {
        long id = (Long) single(db, "insert into organizations (name, created_by) values (?, ?) returning id", name, adminUserId);
        join(db, id, adminUserId, "admin");
        return id;
    }

    public static void join(DataSource db, long organization, long user, String role) {
        update(db, "insert into memberships (organization_id, user_id, role) values (?, ?, ?)", organization, user, role);
    }

    public static void update(DataSource db, String sql, Object... params) {
        try (var c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Object single(DataSource db, String sql, Object... params) {
        try (var c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
