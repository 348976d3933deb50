package org.acme.healthcare.user;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.acme.healthcare.audit.Audit.Action;
import org.acme.healthcare.audit.Audit.RecordType;
import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.user.Session.EndReason;
import org.jboss.logging.Logger;

/** What admins change on accounts: role and disabled. Each change is audited and logged (ids only). */
@ApplicationScoped
public class UserService {
    private static final Logger LOG = Logger.getLogger(UserService.class);

    private final SessionService sessions;
    private final LiveSessions live;
    private final AuditLog audit;

    UserService(SessionService sessions, LiveSessions live, AuditLog audit) {
        this.sessions = sessions;
        this.live = live;
        this.audit = audit;
    }

    /**
     * The active admins are locked first, so two concurrent demotions or disablings cannot leave
     * the service without an active admin (409). Disabling ends every session of the account.
     */
    @Transactional
    public User change(long id, AccountChange change, long actorId) {
        var activeAdmins = User.lockActiveAdmins();
        User user = User.findById(id);
        if (user == null) {
            throw ApiException.notFound("User");
        }
        String role = change.role() != null ? change.role() : user.role;
        boolean disabled = change.disabled() != null ? change.disabled() : user.disabled;
        boolean losesActiveAdmin = Roles.ADMIN.equals(user.role) && !user.disabled
                && (!Roles.ADMIN.equals(role) || disabled);
        if (losesActiveAdmin && activeAdmins.size() <= 1) {
            throw ApiException.conflict("The last active admin cannot be demoted or disabled.");
        }
        if (role.equals(user.role) && disabled == user.disabled) {
            return user;
        }
        String before = user.role + (user.disabled ? ", disabled" : "");
        user.role = role;
        user.disabled = disabled;
        user.flush();
        if (disabled) {
            sessions.endAllOf(id, null, EndReason.DISABLED);
        }
        live.forgetAllOf(id, null);
        audit.inTransaction(Action.UPDATE, RecordType.USER, id);
        LOG.infof("Account %d changed by admin %d: %s -> %s", id, actorId, before, role + (disabled ? ", disabled" : ""));
        return user;
    }
}
