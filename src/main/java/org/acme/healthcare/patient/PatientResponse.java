package org.acme.healthcare.patient;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "Patient")
public record PatientResponse(
        @Schema(examples = "1") Long id,
        @Schema(examples = "Jane Doe") String name,
        @Schema(examples = "42") Integer age,
        @Schema(enumeration = { "male", "female", "other", "unknown" }, examples = "female") String gender,
        @Schema(examples = "1 Main St, Springfield") String address,
        @Schema(examples = "+1 555 0100") String phone,
        @Schema(examples = "jane@example.com") String email,
        @Schema(examples = "Hypertension") String disease,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "Increases with every change; the ETag", examples = "0") long version) {

    public static PatientResponse from(Patient p) {
        return new PatientResponse(p.id, p.name, p.age, p.gender == null ? null : p.gender.word(), p.address, p.phone,
                p.email, p.disease, p.createdAt, p.updatedAt, p.version);
    }
}
