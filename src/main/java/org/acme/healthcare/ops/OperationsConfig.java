package org.acme.healthcare.ops;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;


import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Operations settings: database bounds, HSTS and the public base URL ({@code HEALTHCARE_DB_*},
 * {@code HEALTHCARE_HSTS}, {@code HEALTHCARE_PUBLIC_URL}).
 */
@ConfigMapping(prefix = "healthcare")
public interface OperationsConfig {
    Db db();

    /**
     * {@code Strict-Transport-Security} on every response (HEALTHCARE_HSTS): on in production,
     * where the service sits behind TLS; off in dev and test, which run on plain HTTP.
     */
    @WithDefault("false")
    boolean hsts();

    /**
     * Base of the absolute URLs in {@code Location} and {@code Link}, and of the FHIR view's Bundle
     * links and fullUrls; when unset they are host-relative. Read through
     * {@link org.acme.healthcare.common.PublicUrl}.
     */
    Optional<URI> publicUrl();

    interface Db {
        /**
         * Bounds every database call: statements, lock waits, socket reads, transactions. Read by
         * {@link DatabaseTimeouts} before this mapping exists; declared here so it is documented
         * and checked with the rest.
         */
        @WithDefault(DatabaseTimeouts.DEFAULT)
        Duration timeout();

        /** How long readiness waits for the database before it answers DOWN. */
        @WithDefault("2S")
        Duration healthTimeout();
    }
}
