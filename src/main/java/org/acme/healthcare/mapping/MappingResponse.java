package org.acme.healthcare.mapping;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Mapping")
public record MappingResponse(
        @Schema(examples = "1") Long id,
        @Schema(examples = "1") Long patientId,
        @Schema(examples = "1") Long doctorId,
        Instant createdAt,
        PatientRef patient,
        DoctorRef doctor) {

    @Schema(name = "PatientRef")
    public record PatientRef(Long id, String name) {
    }

    @Schema(name = "DoctorRef")
    public record DoctorRef(Long id, String name, String specialization) {
    }

    public static MappingResponse from(Mapping m) {
        return new MappingResponse(m.id, m.patient.id, m.doctor.id, m.createdAt,
                new PatientRef(m.patient.id, m.patient.name),
                new DoctorRef(m.doctor.id, m.doctor.name, m.doctor.specialization));
    }
}
