package org.acme.healthcare.user;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.transaction.Transactional;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.user.SecurityEvents.Refusal;
import org.acme.healthcare.user.Session.EndReason;

import io.micrometer.core.instrument.Counter;
import io.quarkus.arc.Unremovable;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Registration, login and password change. Hashing happens outside transactions; each write is
 * one short transaction.
 */
@ApplicationScoped
public class AuthService {
    /** The users table's unique emails: a look-alike (the same confusable skeleton) is taken just as the email itself. */
    @Produces
    @Unremovable
    static final ApiException.Constraints CONSTRAINTS = new ApiException.Constraints(Map.of(
            "users_email_lower_uk", ApiException.conflict("An account with this email already exists."),
            "users_email_skeleton_uk", ApiException.conflict("An account with this email already exists.")));

    private final PasswordHasher hasher;
    private final SessionService sessions;
    private final LoginThrottle throttle;
    private final SecurityEvents events;
    private final Counter successfulLogins;
    private final Counter failedLogins;
    private final Counter throttledLogins;

    AuthService(PasswordHasher hasher, SessionService sessions, LoginThrottle throttle, SecurityEvents events,
            MeterRegistry registry) {
        this.hasher = hasher;
        this.events = events;
        this.sessions = sessions;
        this.throttle = throttle;
        this.successfulLogins = loginCounter(registry, "success");
        this.failedLogins = loginCounter(registry, "failure");
        this.throttledLogins = loginCounter(registry, "throttled");
    }

    private static Counter loginCounter(MeterRegistry registry, String outcome) {
        return Counter.builder("healthcare.logins").description("Login attempts by outcome")
                .tag("outcome", outcome).register(registry);
    }

    /** The request is already validated (and its email normalised): see {@link RegisterRequest}. */
    public User register(RegisterRequest request, String client) {
        OptionalLong retryAfter = throttle.countRegistration(client);
        if (retryAfter.isPresent()) {
            throw ApiException.tooManyRequests("Too many registrations from this client. Try again later.",
                    retryAfter.getAsLong());
        }
        String hash = hasher.hash(request.password());
        return insert(request.name().strip(), request.email(), hash);
    }

    @Transactional
    User insert(String name, String email, String passwordHash) {
        // A look-alike (the same confusable skeleton) is taken as much as the email itself; the unique
        // index on users.email_skeleton settles two registrations at once (the loser is the same 409).
        if (User.existsWithEmailOrLookAlike(email)) {
            throw ApiException.conflict("An account with this email already exists.");
        }
        User user = new User();
        user.name = name;
        user.email = email;
        user.passwordHash = passwordHash;
        user.role = Roles.USER;
        user.persistAndFlush();
        return user;
    }

    /**
     * The same answer, after the same work, for an unknown email, a wrong password and a disabled
     * account. Each attempt takes its throttle slot before any bcrypt work ({@link LoginThrottle}):
     * a burst of concurrent attempts gets no more password checks than the limit allows.
     */
    public LoginResponse login(LoginRequest request, String userAgent, String client) {
        String email = request.email();
        if (hasher.atCapacity()) {
            // Shed before any database work: a flood beyond the hashing capacity costs no slot,
            // no connection and no lock.
            events.loginShed(email);
            throw new PasswordHasher.Saturated(false);
        }
        Optional<User> user = User.findByEmail(email);
        boolean disabled = user.isPresent() && user.get().disabled;
        boolean ok = throttledCheck(email, client,
                () -> user.isPresent() ? hasher.matches(request.password(), user.get().passwordHash)
                        : hasher.matchesNobody(request.password()),
                disabled, retry -> events.loginThrottled(email, retry), () -> events.loginShed(email));
        if (!ok || disabled) {
            events.loginFailed(email, user.map(u -> u.id).orElse(null), user.isEmpty() ? Refusal.UNKNOWN_ACCOUNT
                    : !ok ? Refusal.WRONG_PASSWORD : Refusal.DISABLED);
            throw ApiException.unauthorized("The email or password is wrong.");
        }
        successfulLogins.increment();
        return sessions.start(user.get(), userAgent, client);
    }

    /**
     * A wrong current password is a 403 that counts as a failed login (for this email and client);
     * the new one follows the register rules. Every other session of the account ends.
     */
    public void changePassword(long userId, long sessionId, PasswordChangeRequest request, String client) {
        User user = User.<User>findByIdOptional(userId)
                .orElseThrow(() -> ApiException.unauthorized("The account behind this token no longer exists."));
        boolean ok = throttledCheck(user.email, client, () -> hasher.matches(request.currentPassword(), user.passwordHash),
                false, retry -> events.passwordChangeThrottled(userId, retry), () -> { });
        if (!ok) {
            events.passwordChangeRefused(userId);
            throw ApiException.forbidden("The current password is wrong.");
        }
        PasswordPolicy.problem(request.newPassword(), user.email).ifPresent(problem -> {
            throw ApiException.invalidField("newPassword", problem);
        });
        int ended = storePassword(userId, sessionId, hasher.hash(request.newPassword()));
        events.passwordChanged(userId, ended);
    }

    @Transactional
    int storePassword(long userId, long keepSessionId, String passwordHash) {
        User.update("passwordHash = ?1, version = version + 1, updatedAt = current_timestamp where id = ?2", passwordHash, userId);
        return sessions.endAllOf(userId, keepSessionId, EndReason.PASSWORD_CHANGE, userId);
    }

    /**
     * One password check under the login throttle: its slot is taken first (429 when there is
     * none, recorded by {@code onThrottled}), then the check runs, then the slot is settled. A
     * right password gives it back, unless the account is refused anyway ({@code refused}: a
     * disabled account, which counts as a failure); a check shed before it started gives it back
     * too ({@code onShed} records the shedding). True when the password was right.
     */
    private boolean throttledCheck(String email, String client, BooleanSupplier check, boolean refused,
            LongConsumer onThrottled, Runnable onShed) {
        OptionalLong retryAfter = throttle.take(email, client);
        if (retryAfter.isPresent()) {
            throttledLogins.increment();
            onThrottled.accept(retryAfter.getAsLong());
            throw ApiException.tooManyRequests("Too many failed logins. Try again later.", retryAfter.getAsLong());
        }
        boolean ok;
        try {
            ok = check.getAsBoolean();
        } catch (PasswordHasher.Saturated e) {
            if (!e.mayHaveRun) {
                throttle.unused(email, client);
            }
            onShed.run();
            throw e;
        }
        if (ok && !refused) {
            throttle.succeeded(email, client);
        } else {
            throttle.failed(client);
            failedLogins.increment();
        }
        return ok;
    }
}
