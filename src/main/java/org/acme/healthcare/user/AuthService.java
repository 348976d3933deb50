package org.acme.healthcare.user;

import java.util.Optional;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Roles;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Registration and login. Hashing happens outside transactions; each write is one short transaction. */
@ApplicationScoped
public class AuthService {
    private final PasswordHasher hasher;
    private final TokenIssuer tokens;
    private final LoginThrottle throttle;
    private final Counter successfulLogins;
    private final Counter failedLogins;
    private final Counter throttledLogins;

    AuthService(PasswordHasher hasher, TokenIssuer tokens, LoginThrottle throttle, MeterRegistry registry) {
        this.hasher = hasher;
        this.tokens = tokens;
        this.throttle = throttle;
        this.successfulLogins = loginCounter(registry, "success");
        this.failedLogins = loginCounter(registry, "failure");
        this.throttledLogins = loginCounter(registry, "throttled");
    }

    private static Counter loginCounter(MeterRegistry registry, String outcome) {
        return Counter.builder("healthcare.logins").description("Login attempts by outcome")
                .tag("outcome", outcome).register(registry);
    }

    public User register(RegisterRequest request) {
        String hash = hasher.hash(request.password());
        return insert(request.name().strip(), User.normalizeEmail(request.email()), hash);
    }

    @Transactional
    User insert(String name, String email, String passwordHash) {
        if (User.findByEmail(email).isPresent()) {
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
     * The same answer, after the same work, for an unknown email and a wrong password. Too many
     * failures for the email or from the client are refused before any bcrypt work.
     */
    public LoginResponse login(LoginRequest request, String client) {
        String email = User.normalizeEmail(request.email());
        OptionalLong retryAfter = throttle.retryAfter(email, client);
        if (retryAfter.isPresent()) {
            throttledLogins.increment();
            throw ApiException.tooManyRequests("Too many failed logins. Try again later.", retryAfter.getAsLong());
        }
        Optional<User> user = User.findByEmail(email);
        boolean ok = user.isPresent()
                ? hasher.matches(request.password(), user.get().passwordHash)
                : hasher.matchesNobody(request.password());
        if (!ok) {
            throttle.recordFailure(email, client);
            failedLogins.increment();
            throw ApiException.unauthorized("The email or password is wrong.");
        }
        throttle.recordSuccess(email);
        successfulLogins.increment();
        return tokenFor(user.get());
    }

    private LoginResponse tokenFor(User user) {
        return new LoginResponse(tokens.issue(user), "Bearer", tokens.lifetimeSeconds(), UserResponse.from(user));
    }
}
