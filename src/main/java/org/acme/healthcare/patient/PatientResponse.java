package org.acme.healthcare.patient;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Patient")
public record PatientResponse(
        @Schema(examples = "1") Long id,
        @Schema(examples = "Jane Doe") String name,
        @Schema(examples = "42") Integer age,
        @Schema(enumeration = { "male", "female", "other", "unknown" }, examples = "female") String gender,
        String address,
        String phone,
        String email,
        @Schema(examples = "Hypertension") String disease,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "Increases with every change; the ETag", examples = "0") long version) {

    public static PatientResponse from(Patient p) {
        return new PatientResponse(p.id, p.name, p.age, p.gender == null ? null : p.gender.word(), p.address, p.phone,
                p.email, p.disease, p.createdAt, p.updatedAt, p.version);
    }
}
