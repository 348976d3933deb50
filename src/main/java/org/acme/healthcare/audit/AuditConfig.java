package org.acme.healthcare.audit;

import java.time.Period;

import org.acme.healthcare.common.IntRange;
import org.eclipse.microprofile.config.spi.Converter;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/** The audit trail's settings ({@code healthcare.audit.*}, {@code HEALTHCARE_AUDIT_*}). */
@ConfigMapping(prefix = "healthcare.audit")
public interface AuditConfig {
    /**
     * How long audit events are kept (ISO-8601 period, e.g. {@code P6Y}): a month's partition is
     * dropped once all of it is older than this. At least one month (AuditPartitions checks).
     */
    @WithDefault("P6Y")
    Period retention();

    /** Monthly partitions kept ready beyond the current month. */
    @WithDefault("3")
    @WithConverter(MonthsAhead.class)
    int monthsAhead();

    /**
     * The secret the events' and seals' MACs are keyed with ({@code HEALTHCARE_AUDIT_KEY}; at least
     * 32 characters, e.g. {@code openssl rand -base64 32}). Required in prod; dev and test have a
     * published default. Whoever holds it can forge events: keep it out of the database's reach.
     */
    String key();

    /** How often the sealer chains what committed since its last run ({@code HEALTHCARE_AUDIT_SEAL_INTERVAL}). */
    @WithDefault("5S")
    java.time.Duration sealInterval();

    /**
     * Threads that recompute seals in {@code GET /api/audit/verify} ({@code HEALTHCARE_AUDIT_VERIFY_WORKERS};
     * 0 = the available processors, at most 16). The request's own thread is one of them; each other
     * one takes a pooled connection for the verify's duration, at most a quarter of the pool in all,
     * and only if the pool has one free within its acquisition timeout (else the verify goes on with fewer).
     */
    @WithDefault("0")
    @WithConverter(VerifyWorkers.class)
    int verifyWorkers();

    /** 1 to 24. */
    final class MonthsAhead implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            return IntRange.parse(value, 1, 24);
        }
    }

    /** 0 to 16. */
    final class VerifyWorkers implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            return IntRange.parse(value, 0, 16);
        }
    }
}
