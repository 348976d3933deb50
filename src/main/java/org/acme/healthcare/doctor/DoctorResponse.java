package org.acme.healthcare.doctor;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Doctor")
public record DoctorResponse(
        @Schema(examples = "1") Long id,
        @Schema(examples = "Dr. Gregory House") String name,
        @Schema(examples = "Nephrology") String specialization,
        String email,
        String phone,
        String contactInfo,
        Integer age,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "Increases with every change; the ETag", examples = "0") long version,
        @Schema(description = "Id of the user who created the entry", examples = "7") Long createdBy) {

    public static DoctorResponse from(Doctor d) {
        return new DoctorResponse(d.id, d.name, d.specialization, d.email, d.phone, d.contactInfo, d.age, d.createdAt,
                d.updatedAt, d.version, d.createdBy);
    }
}
