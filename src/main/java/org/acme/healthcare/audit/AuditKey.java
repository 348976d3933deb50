package org.acme.healthcare.audit;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

/** {@code HEALTHCARE_AUDIT_KEY}, checked once: the secret every event's and seal's MAC is keyed with. */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class AuditKey {
    static final int MIN_LENGTH = 32;
    private final byte[] key;

    AuditKey(AuditConfig config) {
        String k = config.key();
        if (k == null || k.strip().length() < MIN_LENGTH) {
            throw new IllegalStateException("healthcare.audit.key (HEALTHCARE_AUDIT_KEY) must be at least " + MIN_LENGTH
                    + " characters, e.g. the output of `openssl rand -base64 32`");
        }
        this.key = k.strip().getBytes(StandardCharsets.UTF_8);
    }

    /** A new hasher with this key (one per thread). */
    public AuditChain chain() {
        return new AuditChain(key);
    }
}
