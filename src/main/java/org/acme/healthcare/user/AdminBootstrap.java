package org.acme.healthcare.user;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import org.acme.healthcare.common.HealthcareConfig;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * The first admin comes from configuration ({@code HEALTHCARE_ADMIN_EMAIL} and
 * {@code HEALTHCARE_ADMIN_PASSWORD}): after start-up that account exists with role admin.
 * It is created when missing and promoted when it exists; an existing password is kept. One
 * {@code INSERT ... ON CONFLICT DO NOTHING} on the unique email index makes replicas that start
 * at the same moment safe: exactly one row, whoever wins.
 */
@ApplicationScoped
public class AdminBootstrap {
    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    private final HealthcareConfig config;
    private final PasswordHasher hasher;

    AdminBootstrap(HealthcareConfig config, PasswordHasher hasher) {
        this.config = config;
        this.hasher = hasher;
    }

    void onStart(@Observes StartupEvent event) {
        var admin = config.admin();
        if (admin.email().isEmpty() && admin.password().isEmpty()) {
            return;
        }
        if (admin.email().isEmpty() || admin.password().isEmpty()) {
            throw new IllegalStateException(
                    "Set both HEALTHCARE_ADMIN_EMAIL and HEALTHCARE_ADMIN_PASSWORD, or neither.");
        }
        String email = User.normalizeEmail(admin.email().get());
        int bytes = admin.password().get().getBytes(StandardCharsets.UTF_8).length;
        if (bytes < PasswordBytes.MIN || bytes > PasswordBytes.MAX) {
            throw new IllegalStateException("HEALTHCARE_ADMIN_PASSWORD must be 8 to 72 bytes long in UTF-8.");
        }
        ensureAdmin(email, hasher.hash(admin.password().get()));
    }

    @Transactional
    void ensureAdmin(String email, String passwordHash) {
        var em = User.getEntityManager();
        int created = em.createNativeQuery("""
                insert into users (name, email, password_hash, role)
                values ('Administrator', :email, :hash, 'admin')
                on conflict (lower(email)) do nothing""")
                .setParameter("email", email)
                .setParameter("hash", passwordHash)
                .executeUpdate();
        int promoted = em.createNativeQuery(
                "update users set role = 'admin', version = version + 1, updated_at = now() where email = :email and role <> 'admin'")
                .setParameter("email", email)
                .executeUpdate();
        if (created > 0) {
            LOG.info("Created the configured admin account");
        } else if (promoted > 0) {
            LOG.info("Promoted the configured admin account to admin");
        }
    }
}
