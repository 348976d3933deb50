package org.acme.healthcare.client;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** System clients' settings ({@code HEALTHCARE_TOKEN_URL}, {@code HEALTHCARE_SYSTEM_TOKEN_LIFETIME}). */
@ConfigMapping(prefix = "healthcare.clients")
public interface ClientsConfig {
    /**
     * The token endpoint's public URL: the only {@code aud} a client assertion may carry, and the
     * {@code token_endpoint} the SMART configuration and the CapabilityStatement give. Unset: the
     * public URL ({@code HEALTHCARE_PUBLIC_URL}) followed by {@code /auth/token}; with neither, no
     * assertion can name the endpoint and every one is refused.
     */
    Optional<URI> tokenUrl();

    /** How long a system token lives: at most 5 minutes (SMART Backend Services). */
    @WithDefault("300S")
    Duration tokenLifetime();
}
