package org.acme.healthcare.user;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.healthcare.audit.Audit.Action;
import org.acme.healthcare.audit.Audit.Outcome;
import org.acme.healthcare.audit.Audit.RecordType;
import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.user.Session.EndReason;
import org.jboss.logging.Logger;

import io.vertx.ext.web.RoutingContext;

/**
 * Authentication leaves a trace (HIPAA 164.308(a)(5)(ii)(C), log-in monitoring): every login,
 * refresh, session end, password change, account change and refused admin action is an audit
 * event ({@code recordType} {@code session} or {@code user}) and a log line. The audit event may
 * carry the normalised email of a login; the log line names ids and outcomes only (no email, no
 * password, no token). The client address and request id come with every audit event.
 */
@ApplicationScoped
public class SecurityEvents {
    private static final Logger LOG = Logger.getLogger(SecurityEvents.class);

    /** Why a login or a refresh was refused, as the audit's detail says it. */
    public enum Refusal {
        UNKNOWN_ACCOUNT, WRONG_PASSWORD, DISABLED, UNKNOWN_TOKEN, SPENT_TOKEN, EXPIRED, SESSION_ENDED;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final AuditLog audit;

    SecurityEvents(AuditLog audit) {
        this.audit = audit;
    }

    void loginSucceeded(long userId, long sessionId, String email) {
        audit.security(Action.LOGIN, RecordType.SESSION, userId, sessionId, Outcome.SUCCESS, detail("email", email));
        LOG.infof("Login: account %d started session %d", userId, sessionId);
    }

    void loginFailed(String email, Long userId, Refusal why) {
        audit.security(Action.LOGIN, RecordType.SESSION, null, null, Outcome.DENIED,
                detail("email", email, "reason", why.code(), "accountId", userId));
        LOG.infof("Login refused (%s)%s", why.code(), userId == null ? "" : " for account " + userId);
    }

    void loginThrottled(String email, long retryAfterSeconds) {
        audit.security(Action.LOGIN, RecordType.SESSION, null, null, Outcome.THROTTLED,
                detail("email", email, "retryAfterSeconds", retryAfterSeconds));
        LOG.infof("Login throttled for %d s", retryAfterSeconds);
    }

    void loginShed(String email) {
        audit.security(Action.LOGIN, RecordType.SESSION, null, null, Outcome.SHED, detail("email", email));
        logShed();
    }

    /**
     * A login shed at admission ({@link LoginAdmission}), on the event loop: audited with its
     * email (null when its body had none that a login accepts), queued without waiting.
     */
    void loginShed(RoutingContext ctx, String email) {
        if (!audit.securityAtAdmission(ctx, Action.LOGIN, RecordType.SESSION, Outcome.SHED, detail("email", email))) {
            LOG.warn("Login shed and not audited: the audit queue is full");
        }
        logShed();
    }

    /**
     * One line per shed login at DEBUG; at INFO, one line per {@value #SHED_REPORT_MS} ms with the
     * count: a flood of thousands a second must not cost as many log lines (the audit has each one).
     */
    private void logShed() {
        LOG.debug("Login shed: password checks are at capacity");
        shedSinceReport.incrementAndGet();
        long now = System.nanoTime();
        long last = lastShedReport.get();
        if (now - last >= TimeUnit.MILLISECONDS.toNanos(SHED_REPORT_MS) && lastShedReport.compareAndSet(last, now)) {
            LOG.infof("Logins shed: %d since the last report (password checks at capacity)", shedSinceReport.getAndSet(0));
        }
    }

    static final long SHED_REPORT_MS = 5_000;
    private final AtomicLong lastShedReport = new AtomicLong(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(SHED_REPORT_MS));
    private final AtomicLong shedSinceReport = new AtomicLong();

    void refreshed(long userId, long sessionId) {
        audit.security(Action.REFRESH, RecordType.SESSION, userId, sessionId, Outcome.SUCCESS, null);
        LOG.debugf("Refresh: session %d of account %d", sessionId, userId);
    }

    void refreshRefused(Long userId, Long sessionId, Refusal why) {
        audit.security(Action.REFRESH, RecordType.SESSION, userId, sessionId, Outcome.DENIED, detail("reason", why.code()));
        LOG.infof("Refresh refused (%s)%s", why.code(), sessionId == null ? "" : " for session " + sessionId);
    }

    /** In the transaction that ends them: the sessions ended, by whom (null: the service itself), and why. */
    void sessionsEnded(long userId, List<Long> sessionIds, Long actorId, EndReason why) {
        if (sessionIds.isEmpty()) {
            return;
        }
        audit.inTransaction(Action.END, RecordType.SESSION, actorId, sessionIds, detail("reason", why.code, "accountId", userId));
        LOG.infof("Sessions %s of account %d ended (%s)", sessionIds, userId, why.code);
    }

    void passwordChanged(long userId, int otherSessionsEnded) {
        audit.security(Action.PASSWORD_CHANGE, RecordType.USER, userId, userId, Outcome.SUCCESS,
                detail("sessionsEnded", otherSessionsEnded));
        LOG.infof("Account %d changed its password; %d other sessions ended", userId, otherSessionsEnded);
    }

    void passwordChangeRefused(long userId) {
        audit.security(Action.PASSWORD_CHANGE, RecordType.USER, userId, userId, Outcome.DENIED, detail("reason", "wrong_password"));
        LOG.infof("Password change refused for account %d: wrong current password", userId);
    }

    void passwordChangeThrottled(long userId, long retryAfterSeconds) {
        audit.security(Action.PASSWORD_CHANGE, RecordType.USER, userId, userId, Outcome.THROTTLED,
                detail("retryAfterSeconds", retryAfterSeconds));
        LOG.infof("Password change throttled for account %d", userId);
    }

    /** In the transaction that changes it: an account's role and status before and after, and the admin who changed them. */
    void accountChanged(long actorId, long userId, String roleBefore, boolean disabledBefore, String roleAfter, boolean disabledAfter) {
        audit.inTransaction(Action.UPDATE, RecordType.USER, actorId, List.of(userId), detail(
                "role", detail("before", roleBefore, "after", roleAfter),
                "disabled", detail("before", disabledBefore, "after", disabledAfter)));
        LOG.infof("Account %d changed by admin %d: role %s -> %s, disabled %s -> %s", userId, actorId, roleBefore, roleAfter,
                disabledBefore, disabledAfter);
    }

    /** A 403 on a route that needs the admin role: who asked, and for what (method and route, no query). */
    public void adminActionRefused(Long actorId, String method, String path) {
        audit.security(Action.ACCESS, RecordType.USER, actorId, actorId, Outcome.DENIED, detail("method", method, "path", path));
        LOG.infof("Admin route refused to account %s: %s %s", actorId, method, path);
    }

    /** Key, value, key, value...: null values are left out. */
    private static Map<String, Object> detail(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                map.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return map;
    }
}
