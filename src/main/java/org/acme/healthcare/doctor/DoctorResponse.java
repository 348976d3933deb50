package org.acme.healthcare.doctor;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "Doctor")
public record DoctorResponse(
        @Schema(examples = "1") Long id,
        @Schema(examples = "Dr. Gregory House") String name,
        @Schema(examples = "Nephrology") String specialization,
        @Schema(examples = "house@example.com") String email,
        @Schema(examples = "+1 555 0199") String phone,
        @Schema(examples = "Princeton-Plainsboro, Mon-Fri 9-17") String contactInfo,
        @Schema(examples = "52") Integer age,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "Increases with every change; the ETag", examples = "0") long version,
        @Schema(description = "Id of the user who created the entry", examples = "7") Long createdBy) {

    public static DoctorResponse from(Doctor d) {
        return new DoctorResponse(d.id, d.name, d.specialization, d.email, d.phone, d.contactInfo, d.age, d.createdAt,
                d.updatedAt, d.version, d.createdBy);
    }
}
