package db.migration;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.acme.healthcare.user.Emails;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Brings every stored email under the rule the service now applies ({@link Emails}): Unicode
 * NFKC, trimmed, lower-cased, with the invisible characters an owner could never have seen
 * removed. A Java migration so that it is the very same rule, not an SQL imitation of it.
 * <p>
 * When the data does not fit: if two or more existing accounts become the same email, the
 * migration changes nothing and stops, naming the user ids of each colliding group (never the
 * emails), so that an operator decides which account keeps the address (rename or delete the
 * others, then start again). An email that normalises to nothing is refused the same way.
 */
public class V5__normalise_account_emails extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        var connection = context.getConnection();
        Map<String, List<Long>> byEmail = new HashMap<>();
        Map<Long, String> changed = new HashMap<>();
        List<Long> empty = new ArrayList<>();
        try (Statement select = connection.createStatement();
                ResultSet rows = select.executeQuery("select id, email from users order by id")) {
            while (rows.next()) {
                long id = rows.getLong(1);
                String stored = rows.getString(2);
                String canonical = Emails.canonical(stored);
                if (canonical.isEmpty()) {
                    empty.add(id);
                    continue;
                }
                byEmail.computeIfAbsent(canonical, k -> new ArrayList<>()).add(id);
                if (!canonical.equals(stored)) {
                    changed.put(id, canonical);
                }
            }
        }
        List<String> collisions = byEmail.values().stream().filter(ids -> ids.size() > 1).map(List::toString).toList();
        if (!collisions.isEmpty() || !empty.isEmpty()) {
            throw new IllegalStateException("Cannot normalise account emails (NFKC, trim, lower case, invisible characters"
                    + " removed): " + (collisions.isEmpty() ? "" : "these accounts would share one email, by user id: "
                            + String.join(", ", collisions) + ". ")
                    + (empty.isEmpty() ? "" : "these accounts' emails would be empty: " + empty + ". ")
                    + "Nothing was changed. Rename or remove all but one account of each group, then start the service again.");
        }
        try (PreparedStatement update = connection.prepareStatement(
                "update users set email = ?, version = version + 1, updated_at = now() where id = ?")) {
            for (var entry : changed.entrySet()) {
                update.setString(1, entry.getValue());
                update.setLong(2, entry.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }
}
