package db.migration;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.acme.healthcare.user.Emails;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jboss.logging.Logger;

/**
 * Look-alike emails ({@link Emails#skeleton}, Unicode TR39): adds {@code users.email_skeleton},
 * fills it for every account, and makes it unique ({@code users_email_skeleton_uk}), so that two
 * registrations of look-alike emails cannot both succeed, even at the same moment. A Java migration
 * so that the skeleton is ICU4J's, the very one the service computes.
 * <p>
 * When the data does not fit: if existing accounts already look alike (the same skeleton), the
 * oldest (by {@code created_at}, then id) keeps the skeleton and the later ones are left with
 * {@code NULL} (which the unique index allows), so start-up never stops for them. They keep working
 * as before (login, sessions, everything); only their look-alike protection is missing, and the
 * older account's skeleton still stops any new look-alike. Their user ids (never the emails) are
 * logged as a warning, so an operator can review them (docs/accounts.md, "Look-alike emails").
 */
public class V10__account_email_skeletons extends BaseJavaMigration {
    private static final Logger LOG = Logger.getLogger(V10__account_email_skeletons.class);

    @Override
    public void migrate(Context context) throws SQLException {
        var connection = context.getConnection();
        try (Statement ddl = connection.createStatement()) {
            // text: a skeleton can be longer than its email (m becomes rn).
            ddl.execute("alter table users add column email_skeleton text");
        }
        Set<String> claimed = new HashSet<>();
        List<Long> leftNull = new ArrayList<>();
        try (Statement select = connection.createStatement();
                ResultSet rows = select.executeQuery("select id, email from users order by created_at, id");
                PreparedStatement update = connection.prepareStatement("update users set email_skeleton = ? where id = ?")) {
            int batched = 0;
            while (rows.next()) {
                long id = rows.getLong(1);
                String skeleton = Emails.skeleton(rows.getString(2));
                if (!claimed.add(skeleton)) {
                    leftNull.add(id);
                    continue;
                }
                update.setString(1, skeleton);
                update.setLong(2, id);
                update.addBatch();
                if (++batched % 1000 == 0) {
                    update.executeBatch();
                }
            }
            update.executeBatch();
        }
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("create unique index users_email_skeleton_uk on users (email_skeleton)");
        }
        if (!leftNull.isEmpty()) {
            LOG.warnf("These accounts' emails look like an older account's (the same confusable skeleton), by user id: %s."
                    + " They keep working; the older account keeps the skeleton, these have none."
                    + " Review them (docs/accounts.md, \"Look-alike emails\").", leftNull);
        }
    }
}
