package org.acme.healthcare.mapping;

import java.time.Instant;

import org.acme.healthcare.doctor.Doctor;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A doctor of a patient: the doctor's fields plus the assignment's id and time. */
@RegisterForReflection
@Schema(name = "AssignedDoctor")
public record AssignedDoctorResponse(
        @Schema(description = "Id of the doctor", examples = "3") Long id,
        @Schema(examples = "Dr. Gregory House") String name,
        @Schema(examples = "Nephrology") String specialization,
        @Schema(examples = "house@example.com") String email,
        @Schema(examples = "+1 555 0199") String phone,
        @Schema(examples = "Princeton-Plainsboro, Mon-Fri 9-17") String contactInfo,
        @Schema(examples = "52") Integer age,
        Instant createdAt,
        Instant updatedAt,
        @Schema(examples = "0") long version,
        @Schema(description = "Id of the user who created the entry", examples = "7") Long createdBy,
        @Schema(description = "Id of the mapping (for DELETE /api/mappings/{id})", examples = "12") Long mappingId,
        @Schema(description = "When the doctor was assigned") Instant assignedAt) {

    public static AssignedDoctorResponse from(Mapping m) {
        Doctor d = m.doctor;
        return new AssignedDoctorResponse(d.id, d.name, d.specialization, d.email, d.phone, d.contactInfo, d.age,
                d.createdAt, d.updatedAt, d.version, d.createdBy, m.id, m.createdAt);
    }
}
