package org.acme.healthcare.user;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import org.acme.healthcare.common.IntRange;
import org.eclipse.microprofile.config.spi.Converter;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/** Accounts' settings: tokens, passwords, login and registration limits, sessions, the first admin ({@code HEALTHCARE_*}). */
@ConfigMapping(prefix = "healthcare")
public interface AccountsConfig {
    Jwt jwt();

    Password password();

    Admin admin();

    Login login();

    Registration registration();

    Sessions sessions();

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
        @WithConverter(BcryptCost.class)
        int bcryptCost();

        /** Threads that hash passwords; default one per core. */
        OptionalInt hashingThreads();

        /**
         * Logins in flight at once (hashing or waiting for a hash); one more is refused on the event
         * loop with 503 + Retry-After. Default: what the hashing threads get through within
         * {@link #maxQueueWait()} (at a nominal 250 ms a hash), at least 24, at most a quarter of the worker threads.
         */
        OptionalInt loginCapacity();

        /**
         * The queue of hashes holds what the hashing threads get through within this; a login or
         * registration beyond it is refused at once with 503 + Retry-After.
         */
        @WithDefault("2S")
        Duration maxQueueWait();
    }

    /** 4 to 16. */
    final class BcryptCost implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            return IntRange.parse(value, 4, 16);
        }
    }

    interface Login {
        /** Failed logins for one email from one client within {@link #window()} before that client's attempts for it get 429. */
        @WithDefault("5")
        @WithConverter(IntRange.Positive.class)
        int maxFailuresPerEmailAndClient();

        /**
         * Failed logins for one email from all clients together within {@link #window()} before
         * every attempt for it gets 429: far above the per-client limit, so only a guess spread over
         * many clients reaches it.
         */
        @WithDefault("100")
        @WithConverter(IntRange.Positive.class)
        int maxFailuresPerEmail();

        /** Failed logins from one client address within {@link #window()} before further attempts get 429. */
        @WithDefault("50")
        @WithConverter(IntRange.Positive.class)
        int maxFailuresPerClient();

        /** The counting window; a blocked email or client may try again when it ends. */
        @WithDefault("15M")
        Duration window();
    }

    interface Registration {
        /** Registration attempts from one client address within {@link #window()} before further ones get 429. */
        @WithDefault("20")
        @WithConverter(IntRange.Positive.class)
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

    interface Admin {
        /** With {@link #password()}: this account exists with role admin after start-up. */
        Optional<String> email();

        Optional<String> password();
    }
}
