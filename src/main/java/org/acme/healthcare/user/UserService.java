package org.acme.healthcare.user;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.user.Session.EndReason;

/** What admins change on accounts: role and disabled. Each change is audited and logged (ids only). */
@ApplicationScoped
public class UserService {
    private final SessionService sessions;
    private final LiveSessions live;
    private final SecurityEvents events;

    UserService(SessionService sessions, LiveSessions live, SecurityEvents events) {
        this.sessions = sessions;
        this.live = live;
        this.events = events;
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
        String roleBefore = user.role;
        boolean disabledBefore = user.disabled;
        user.role = role;
        user.disabled = disabled;
        user.flush();
        if (disabled) {
            sessions.endAllOf(id, null, EndReason.DISABLED, actorId);
        }
        // After the commit, not before: a request that reads the account meanwhile cannot cache the old role.
        live.forgetAllOf(id, null);
        events.accountChanged(actorId, id, roleBefore, disabledBefore, role, disabled);
        return user;
    }
}
