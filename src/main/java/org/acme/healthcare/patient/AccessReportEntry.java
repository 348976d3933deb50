package org.acme.healthcare.patient;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "AccessReportEntry", description = "One access to a patient record (HIPAA's accounting of disclosures): a read,"
        + " a list or search that returned it, a change, a break-glass grant or read, an export")
public record AccessReportEntry(
        @Schema(description = "When", examples = "2026-12-07T09:30:00Z") Instant at,
        Actor actor,
        @Schema(description = "The organization the access went through; absent for a personal record", examples = "3")
        Long organizationId,
        @Schema(enumeration = { "create", "read", "list", "update", "delete", "purge", "break_glass" },
                description = "`list`: a list or search (or an export) that returned the record", examples = "read") String action,
        @Schema(enumeration = { "rest", "fhir", "export" }, description = "The channel. `export` once Bulk Data export exists;"
                + " events from before the channel was recorded show `rest`", examples = "rest") String via,
        @Schema(description = "Read under a break-glass grant, or the grant itself", examples = "false") boolean breakGlass,
        @Schema(description = "The break-glass reason; absent otherwise", examples = "Unconscious patient in the emergency room")
        String reason) {

    @Schema(name = "AccessReportActor", description = "Who: a user, or a system client (SMART Backend Services) of the"
            + " entry's organization, named by its registered name")
    public record Actor(
            @Schema(enumeration = { "user", "client" }, examples = "user") String type,
            @Schema(description = "The user's id, or the system client's; absent when unknown", examples = "42") Long id,
            @Schema(description = "The user's name as it is now (absent when the account is gone), or the client's registered"
                    + " name", examples = "Dr. Ada Lovelace")
            String name) {
    }
}
