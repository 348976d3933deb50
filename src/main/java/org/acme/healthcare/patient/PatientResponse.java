package org.acme.healthcare.patient;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "Patient")
public record PatientResponse(
        @Schema(examples = "1") Long id,
        @Schema(examples = "Jane Doe") String name,
        @Schema(description = "Computed from `birthDate` (UTC today) when there is one; else as sent", examples = "42") Integer age,
        @Schema(enumeration = { "male", "female", "other", "unknown" }, examples = "female") String gender,
        @Schema(examples = "1 Main St, Springfield") String address,
        @Schema(examples = "+1 555 0100") String phone,
        @Schema(examples = "jane@example.com") String email,
        @Schema(examples = "Hypertension") String disease,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "Increases with every change; the ETag", examples = "0") long version,
        @Schema(description = "The organization the patient belongs to; null for a personal patient", examples = "7") Long organizationId,
        @Schema(description = "Readable only by its creator, its organization's admins and break-glass grant holders", examples = "false") boolean restricted,
        @Schema(examples = "1984-03-07") LocalDate birthDate,
        @Schema(examples = "Doe") String familyName,
        @Schema(examples = "[\"Jane\", \"Q.\"]") List<String> givenNames,
        @Schema(examples = "[{\"system\": \"http://hospital.example.org/mrn\", \"value\": \"MRN-004211\"}]") List<Identifier> identifiers) {

    public static PatientResponse from(Patient p) {
        return new PatientResponse(p.id, p.name, p.age(), p.gender == null ? null : p.gender.word(), p.address, p.phone,
                p.email, p.disease, p.createdAt, p.updatedAt, p.version, p.organizationId, p.restricted, p.birthDate,
                p.familyName, p.givenNames == null ? List.of() : List.copyOf(p.givenNames),
                p.identifiers == null ? List.of() : List.copyOf(p.identifiers));
    }
}
