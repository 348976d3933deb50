package org.acme.healthcare.user;

import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.healthcare.common.HealthcareConfig;

import io.quarkus.elytron.security.common.BcryptUtil;

/**
 * bcrypt hashing. Costly by design (tens of milliseconds), so only ever called from worker
 * threads, never while holding a database transaction. {@link #matchesNobody(String)} spends
 * the same time as a real check, so an unknown email answers as slowly as a wrong password.
 * <p>
 * At most one hash per core runs at a time; further callers wait (blocked, using no CPU).
 * Without the bound, 64 concurrent logins are 64 runnable threads and every other request's
 * thread gets a 1/64th share of the CPU: GET /api/patients/{id} p99 went to seconds under a
 * login flood (bench/results). With it, logins still use every core, and the scheduler splits
 * the CPU between a few hashing threads and the rest.
 */
@ApplicationScoped
public class PasswordHasher {
    private final int cost;
    private final String decoyHash;
    private final Semaphore hashing = new Semaphore(Runtime.getRuntime().availableProcessors(), true);

    PasswordHasher(HealthcareConfig config) {
        this.cost = config.password().bcryptCost();
        this.decoyHash = BcryptUtil.bcryptHash("decoy-password-for-timing", cost);
    }

    public String hash(String password) {
        hashing.acquireUninterruptibly();
        try {
            return BcryptUtil.bcryptHash(password, cost);
        } finally {
            hashing.release();
        }
    }

    public boolean matches(String password, String hash) {
        return bounded(() -> BcryptUtil.matches(password, hash));
    }

    /** Burns one bcrypt verification and always answers false. */
    public boolean matchesNobody(String password) {
        bounded(() -> BcryptUtil.matches(password, decoyHash));
        return false;
    }

    private boolean bounded(BooleanSupplier check) {
        hashing.acquireUninterruptibly();
        try {
            return check.getAsBoolean();
        } finally {
            hashing.release();
        }
    }
}
