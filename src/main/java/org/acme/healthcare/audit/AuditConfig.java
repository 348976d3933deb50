package org.acme.healthcare.audit;

import java.time.Period;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
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
    @Min(1)
    @Max(24)
    int monthsAhead();
}
