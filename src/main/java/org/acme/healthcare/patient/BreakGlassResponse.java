package org.acme.healthcare.patient;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "BreakGlassGrant", description = "Read access to one restricted patient, until `expiresAt`")
public record BreakGlassResponse(
        @Schema(examples = "1") long patientId,
        @Schema(description = "Present in the review list") Long userId,
        @Schema(description = "Present in the review list") String reason,
        @Schema(description = "Present in the review list") Instant grantedAt,
        Instant expiresAt) {

    static BreakGlassResponse granted(BreakGlassGrant g) {
        return new BreakGlassResponse(g.patientId, null, null, null, g.expiresAt);
    }

    static BreakGlassResponse reviewed(BreakGlassGrant g) {
        return new BreakGlassResponse(g.patientId, g.userId, g.reason, g.grantedAt, g.expiresAt);
    }
}
