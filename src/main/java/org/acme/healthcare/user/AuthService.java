package org.acme.healthcare.user;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Roles;

/** Registration and login. Hashing happens outside transactions; each write is one short transaction. */
@ApplicationScoped
public class AuthService {
    private final PasswordHasher hasher;
    private final TokenIssuer tokens;

    AuthService(PasswordHasher hasher, TokenIssuer tokens) {
        this.hasher = hasher;
        this.tokens = tokens;
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

    /** The same answer, after the same work, for an unknown email and a wrong password. */
    public Optional<LoginResponse> login(LoginRequest request) {
        Optional<User> user = User.findByEmail(request.email());
        boolean ok = user.isPresent()
                ? hasher.matches(request.password(), user.get().passwordHash)
                : hasher.matchesNobody(request.password());
        return ok ? user.map(this::tokenFor) : Optional.empty();
    }

    private LoginResponse tokenFor(User user) {
        return new LoginResponse(tokens.issue(user), "Bearer", tokens.lifetimeSeconds(), UserResponse.from(user));
    }
}
