package org.acme.healthcare.doctor;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The doctor directory (doctor/DoctorDirectory). */
@ConfigMapping(prefix = "healthcare.doctors")
public interface DoctorsConfig {
    /** How long another replica may answer a doctor as it was before a change ({@code HEALTHCARE_DOCTOR_CACHE_TTL}). */
    @WithDefault("10S")
    Duration cacheTtl();
}
