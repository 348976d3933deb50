package org.acme.healthcare.export;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Bulk Data export's settings ({@code healthcare.export.*}, {@code HEALTHCARE_EXPORT_*}). */
@ConfigMapping(prefix = "healthcare.export")
public interface ExportConfig {
    /** How long a finished export's manifest and files stay (and how long a job may take at most). */
    @WithDefault("1H")
    Duration retention();

    /** Records read, mapped and written per transaction: what the heap holds of an export at a time. */
    @WithDefault("500")
    int pageSize();

    /** Resources per NDJSON file; a type with more is split into several files. */
    @WithDefault("100000")
    int fileSize();

    /**
     * How long a worker's claim on a job holds without a page committed. A replica that dies
     * leaves its job to another once this has passed.
     */
    @WithDefault("30S")
    Duration lease();

    /** How often each replica looks for a job to run and for expired jobs to delete. */
    @WithDefault("1S")
    Duration pollInterval();

    /** Whether this replica runs export jobs (kick-off, status and files are served either way). */
    @WithDefault("true")
    boolean worker();
}
