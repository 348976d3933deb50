package org.acme.healthcare.user;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.healthcare.common.HealthcareConfig;

import io.quarkus.elytron.security.common.BcryptUtil;

/**
 * bcrypt hashing. Costly by design (tens of milliseconds), so only ever called from worker
 * threads, never while holding a database transaction. {@link #matchesNobody(String)} spends
 * the same time as a real check, so an unknown email answers as slowly as a wrong password.
 */
@ApplicationScoped
public class PasswordHasher {
    private final int cost;
    private final String decoyHash;

    PasswordHasher(HealthcareConfig config) {
        this.cost = config.password().bcryptCost();
        this.decoyHash = BcryptUtil.bcryptHash("decoy-password-for-timing", cost);
    }

    public String hash(String password) {
        return BcryptUtil.bcryptHash(password, cost);
    }

    public boolean matches(String password, String hash) {
        return BcryptUtil.matches(password, hash);
    }

    /** Burns one bcrypt verification and always answers false. */
    public boolean matchesNobody(String password) {
        BcryptUtil.matches(password, decoyHash);
        return false;
    }
}
