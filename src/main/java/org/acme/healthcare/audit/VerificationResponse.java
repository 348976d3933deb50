package org.acme.healthcare.audit;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "AuditVerification", description = "The audit trail's chain recomputed over a window: every event sealed in it"
        + " must carry its MAC, be in its seal and in order; no event may be missing or outside every seal.")
public record VerificationResponse(
        @Schema(description = "True when every checked event and seal is intact", examples = "true") boolean verified,
        @Schema(description = "Events of the window checked against the chain", examples = "125000") long events,
        @Schema(description = "The window's start as asked (inclusive); absent: the oldest event",
                examples = "2026-12-01T00:00:00Z") Instant from,
        @Schema(description = "The window's end as asked (exclusive); absent: now", examples = "2026-12-08T00:00:00Z") Instant to,
        @Schema(description = "The first event that does not fit: changed, not written by the service, deleted (the id it"
                + " had) or in no seal; absent when verified, or when only a seal was changed",
                examples = "4711") Long firstBrokenEventId,
        @Schema(description = "Events of the window the sealer has not chained yet (younger than a few seal intervals);"
                + " checked once they are", examples = "12") long pending,
        @Schema(description = "What was found, when not verified", examples = "event 4711 was altered or not written by the service")
        String problem) {

    static VerificationResponse from(AuditVerifier.Result r) {
        return new VerificationResponse(r.verified(), r.events(), r.from(), r.to(), r.firstBrokenEventId(), r.pending(), r.problem());
    }
}
