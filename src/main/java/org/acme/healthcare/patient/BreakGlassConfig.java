package org.acme.healthcare.patient;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Restricted records (contract part 2, "Restricted patients and break-glass"). */
@ConfigMapping(prefix = "healthcare.break-glass")
public interface BreakGlassConfig {
    /** How long a break-glass grant lets its holder read the record ({@code HEALTHCARE_BREAK_GLASS_LIFETIME}). */
    @WithDefault("60M")
    Duration lifetime();
}
