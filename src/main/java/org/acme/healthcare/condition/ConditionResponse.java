package org.acme.healthcare.condition;

import java.time.Instant;
import java.time.LocalDate;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "Condition", description = "One of a patient's problems")
public record ConditionResponse(
        @Schema(examples = "12") Long id,
        @Schema(examples = "1") Long patientId,
        @Schema(description = "Absent when the condition is text only") ConditionCode code,
        @Schema(examples = "Type 2 diabetes, diet-controlled") String text,
        @Schema(enumeration = { "problem-list-item", "encounter-diagnosis", "health-concern" }) String category,
        @Schema(enumeration = { "active", "recurrence", "relapse", "inactive", "remission", "resolved" }) String clinicalStatus,
        @Schema(enumeration = { "unconfirmed", "provisional", "differential", "confirmed", "refuted" }) String verificationStatus,
        LocalDate onsetDate,
        LocalDate abatementDate,
        Instant recordedAt,
        @Schema(description = "User id of whoever recorded it", examples = "7") Long recordedBy,
        @Schema(description = "Increases with every change; the ETag", examples = "0") long version,
        Instant createdAt,
        Instant updatedAt) {

    public static ConditionResponse from(Condition c) {
        ConditionCode code = c.code == null ? null : new ConditionCode(c.codeSystem, c.code, c.codeDisplay);
        return new ConditionResponse(c.id, c.patientId, code, c.text, c.category, c.clinicalStatus, c.verificationStatus,
                c.onsetDate, c.abatementDate, c.recordedAt, c.recordedBy, c.version, c.createdAt, c.updatedAt);
    }
}
