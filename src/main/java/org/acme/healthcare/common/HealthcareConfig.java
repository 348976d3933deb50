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
    }

    interface Admin {
        /** With {@link #password()}: this account exists with role admin after start-up. */
        Optional<String> email();

        Optional<String> password();
    }
}
