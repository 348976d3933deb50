package org.acme.healthcare.common;

import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The service's own settings ({@code healthcare.*}, or {@code HEALTHCARE_*} in the environment). */
@ConfigMapping(prefix = "healthcare")
public interface HealthcareConfig {
    Jwt jwt();

    Password password();

    Admin admin();

    Login login();

    Db db();

    /**
     * Base of the absolute URLs in {@code Location} and {@code Link} (read by {@link PublicUrl});
     * when unset they are host-relative.
     */
    Optional<java.net.URI> publicUrl();

    interface Jwt {
        /** {@code iss} of issued tokens, and the only issuer accepted. */
        String issuer();

        /** Token lifetime. */
        @WithDefault("3600S")
        Duration lifetime();
    }

    interface Password {
        /** bcrypt cost factor (work = 2^cost). */
        @WithDefault("10")
        @Min(4)
        @Max(16)
        int bcryptCost();

        /** Threads that hash passwords; default one per two cores (at least one). */
        java.util.OptionalInt hashingThreads();

        /**
         * The queue of hashes holds what the hashing threads get through within this; a login or
         * registration beyond it is refused at once with 503 + Retry-After.
         */
        @WithDefault("2S")
        Duration maxQueueWait();
    }

    interface Login {
        /** Failed logins for one email within {@link #window()} before further attempts get 429. */
        @WithDefault("5")
        @Min(1)
        int maxFailuresPerEmail();

        /** Failed logins from one client address within {@link #window()} before further attempts get 429. */
        @WithDefault("50")
        @Min(1)
        int maxFailuresPerClient();

        /** The counting window; a blocked email or client may try again when it ends. */
        @WithDefault("15M")
        Duration window();
    }

    interface Db {
        /**
         * Bounds every database call: statements, lock waits, socket reads, transactions (see
         * {@link DatabaseTimeouts}, which derives the driver, pool and transaction settings from it).
         */
        @WithDefault(DatabaseTimeouts.DEFAULT)
        Duration timeout();

        /** How long readiness waits for the database before it answers DOWN. */
        @WithDefault("2S")
        Duration healthTimeout();
    }

    interface Admin {
        /** With {@link #password()}: this account exists with role admin after start-up. */
        Optional<String> email();

        Optional<String> password();
    }
}
