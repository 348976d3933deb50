package org.acme.healthcare.mapping;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.annotation.JsonAlias;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "MappingRequest")
public record MappingRequest(
        @NotNull @Min(1) @JsonAlias("patient_id") @Schema(description = "Input alias: `patient_id` (both in one body is a 400)", examples = "1") Long patientId,
        @NotNull @Min(1) @JsonAlias("doctor_id") @Schema(description = "Input alias: `doctor_id` (both in one body is a 400)", examples = "1") Long doctorId) {
}
