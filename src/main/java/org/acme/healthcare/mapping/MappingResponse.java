package org.acme.healthcare.mapping;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "Mapping")
public record MappingResponse(
        @Schema(examples = "1") Long id,
        @Schema(examples = "1") Long patientId,
        @Schema(examples = "1") Long doctorId,
        Instant createdAt,
        PatientRef patient,
        DoctorRef doctor) {

    @RegisterForReflection
    @Schema(name = "PatientRef")
    public record PatientRef(@Schema(examples = "1") Long id, @Schema(examples = "Jane Doe") String name) {
    }

    @RegisterForReflection
    @Schema(name = "DoctorRef")
    public record DoctorRef(@Schema(examples = "3") Long id, @Schema(examples = "Dr. Gregory House") String name,
            @Schema(examples = "Nephrology") String specialization) {
    }

    public static MappingResponse from(Mapping m) {
        return new MappingResponse(m.id, m.patient.id, m.doctor.id, m.createdAt,
                new PatientRef(m.patient.id, m.patient.name),
                new DoctorRef(m.doctor.id, m.doctor.name, m.doctor.specialization));
    }
}
