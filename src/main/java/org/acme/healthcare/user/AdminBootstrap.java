package org.acme.healthcare.user;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import org.acme.healthcare.common.Roles;
import org.jboss.logging.Logger;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * The first admin comes from configuration ({@code HEALTHCARE_ADMIN_EMAIL} and
 * {@code HEALTHCARE_ADMIN_PASSWORD}): after start-up that account exists with role admin.
 * It is created when missing; an existing admin with that email is left as it is (its password
 * too). An existing account with that email that is <em>not</em> an admin stops start-up: it
 * is never promoted, since whoever registered it chose its password (an account squatted before
 * the operator configured the email would otherwise become an admin the squatter can log in
 * to). One {@code INSERT ... ON CONFLICT DO NOTHING} on the unique email and skeleton indexes
 * makes replicas that start at the same moment safe: exactly one row, whoever wins. An account
 * whose email only looks like the configured one (the same confusable skeleton,
 * {@link Emails#skeleton}) stops start-up too, naming its id.
 */
@ApplicationScoped
public class AdminBootstrap {
    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    private final AccountsConfig config;
    private final PasswordHasher hasher;

    AdminBootstrap(AccountsConfig config, PasswordHasher hasher) {
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
        String email = Emails.normalize(admin.email().get());
        if (!Emails.isVisible(email)) {
            throw new IllegalStateException("HEALTHCARE_ADMIN_EMAIL contains invisible, space or control characters.");
        }
        int bytes = admin.password().get().getBytes(StandardCharsets.UTF_8).length;
        if (bytes < PasswordBytes.MIN || bytes > PasswordBytes.MAX) {
            throw new IllegalStateException("HEALTHCARE_ADMIN_PASSWORD must be 8 to 72 bytes long in UTF-8.");
        }
        PasswordPolicy.problem(admin.password().get(), email).ifPresent(problem -> {
            throw new IllegalStateException("HEALTHCARE_ADMIN_PASSWORD " + problem + ".");
        });
        // The usual start, with the admin already there, costs no bcrypt hash.
        if (!existingAdmin(email)) {
            createAdmin(email, hasher.hash(admin.password().get()));
        }
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
            printDevAdmin(email);
        }
    }

    /**
     * Dev mode: says who the admin is and where that comes from, once per dev-mode JVM (a live
     * reload restarts the application, not the JVM, so a system property remembers it). The
     * password is printed only when it is the committed %dev default, never one set by hand.
     */
    static void printDevAdmin(String email) {
        if (System.getProperty(DEV_ADMIN_PRINTED) != null) {
            return;
        }
        System.setProperty(DEV_ADMIN_PRINTED, "true");
        var password = ConfigProvider.getConfig().getConfigValue("healthcare.admin.password");
        String source = password.getSourceName() == null ? "" : password.getSourceName();
        String shown = source.contains("application.properties") ? password.getValue()
                : "(the one set in HEALTHCARE_ADMIN_PASSWORD)";
        LOG.infof("The first admin in dev mode: %s, password %s. Change it with HEALTHCARE_ADMIN_EMAIL and"
                + " HEALTHCARE_ADMIN_PASSWORD, or the %%dev.healthcare.admin.* lines of"
                + " src/main/resources/application.properties; outside dev mode there is no default.", email, shown);
    }

    private static final String DEV_ADMIN_PRINTED = "healthcare.dev-admin.printed";

    /** True when the account exists (and is an admin); stops start-up when it exists and is not one. */
    @Transactional
    boolean existingAdmin(String email) {
        var existing = User.findByEmail(email);
        if (existing.isEmpty()) {
            // A look-alike (Cyrillic а for a, say) registered first is refused for the same reason as the email itself.
            User.findLookAlike(email).ifPresent(lookAlike -> {
                throw new IllegalStateException("HEALTHCARE_ADMIN_EMAIL looks like the email of an existing account (user id "
                        + lookAlike.id + "): it cannot be created beside it. Configure another email, or remove that"
                        + " account after checking who owns it.");
            });
            return false;
        }
        if (!Roles.ADMIN.equals(existing.get().role)) {
            throw new IllegalStateException("HEALTHCARE_ADMIN_EMAIL names an existing account (user id " + existing.get().id
                    + ") that is not an admin. It is not promoted, since whoever registered it chose its password."
                    + " Configure another email, or have an admin promote that account after checking who owns it.");
        }
        if (existing.get().disabled) {
            LOG.warnf("The configured admin account (user id %d) is disabled; it stays disabled", existing.get().id);
        }
        return true;
    }

    @Transactional
    void createAdmin(String email, String passwordHash) {
        var em = User.getEntityManager();
        int created = em.createNativeQuery("""
                insert into users (name, email, email_skeleton, password_hash, role)
                values ('Administrator', :email, :skeleton, :hash, 'admin')
                on conflict do nothing""")
                .setParameter("email", email)
                .setParameter("skeleton", Emails.skeleton(email))
                .setParameter("hash", passwordHash)
                .executeUpdate();
        if (created > 0) {
            LOG.info("Created the configured admin account");
        } else if (!existingAdmin(email)) {
            // Another replica inserted it between our look-up and our insert: existingAdmin checked its role.
            throw new IllegalStateException("The configured admin account could be neither created nor found.");
        }
    }
}
