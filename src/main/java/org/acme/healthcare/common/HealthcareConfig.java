package org.acme.healthcare.common;

import java.time.Duration;
import java.time.Period;
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

    Registration registration();

    Sessions sessions();

    Audit audit();

    interface Audit {
        /**
         * How long audit events are kept (ISO-8601 period, e.g. {@code P6Y}): a month's partition is
         * dropped once all of it is older than this. At least one month (AuditPartitions checks).
         */
        @WithDefault("P6Y")
        Period retention();

        /** Monthly partitions kept ready beyond the current month. */
        @WithDefault("3")
        @Min(1)
        @Max(24)
        int monthsAhead();
    }

    Db db();

    /**
     * {@code Strict-Transport-Security} on every response (HEALTHCARE_HSTS): on in production,
     * where the service sits behind TLS; off in dev and test, which run on plain HTTP.
     */
    @WithDefault("false")
    boolean hsts();

    /**
     * Base of the absolute URLs in {@code Location} and {@code Link} (read by {@link PublicUrl}),
     * and of the FHIR view's Bundle links and fullUrls; when unset they are host-relative.
     */
    Optional<java.net.URI> publicUrl();

    interface Jwt {
        /** {@code iss} of issued tokens, and the only issuer accepted. */
        String issuer();

        /** Token lifetime. */
        @WithDefault("3600S")
        Duration lifetime();

        /** {@code aud} of issued tokens, and the only audience accepted. */
        @WithDefault("healthcare-api")
        String audience();
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
        /** Failed logins for one email from one client within {@link #window()} before that client's attempts for it get 429. */
        @WithDefault("5")
        @Min(1)
        int maxFailuresPerEmailAndClient();

        /**
         * Failed logins for one email from all clients together within {@link #window()} before
         * every attempt for it gets 429: far above the per-client limit, so only a guess spread over
         * many clients reaches it.
         */
        @WithDefault("100")
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

    interface Registration {
        /** Registration attempts from one client address within {@link #window()} before further ones get 429. */
        @WithDefault("20")
        @Min(1)
        int maxPerClient();

        @WithDefault("1H")
        Duration window();
    }

    interface Sessions {
        /** How long a refresh token is valid at most (a session's own end comes first when it is sooner). */
        @WithDefault("14D")
        Duration refreshLifetime();

        /** A session ends this long after its login, however often it is refreshed (NIST 800-63B AAL2: 12 hours). */
        @WithDefault("12H")
        Duration maxLifetime();

        /** A session ends after this long without a request made with its tokens (AAL2: 30 minutes). */
        @WithDefault("30M")
        Duration idleTimeout();
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
