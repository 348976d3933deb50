package org.acme.healthcare.mapping;

import java.time.Instant;

import org.acme.healthcare.doctor.Doctor;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A doctor of a patient: the doctor's fields plus the assignment's id and time. */
@Schema(name = "AssignedDoctor")
public record AssignedDoctorResponse(
        Long id,
        String name,
        String specialization,
        String email,
        String phone,
        String contactInfo,
        Integer age,
        Instant createdAt,
        Instant updatedAt,
        long version,
        Long createdBy,
        @Schema(description = "Id of the mapping (for DELETE /api/mappings/{id})") Long mappingId,
        @Schema(description = "When the doctor was assigned") Instant assignedAt) {

    public static AssignedDoctorResponse from(Mapping m) {
        Doctor d = m.doctor;
        return new AssignedDoctorResponse(d.id, d.name, d.specialization, d.email, d.phone, d.contactInfo, d.age,
                d.createdAt, d.updatedAt, d.version, d.createdBy, m.id, m.createdAt);
    }
}
