package org.acme.healthcare.patient;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.acme.healthcare.validation.AbsoluteUri;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A business identifier of a patient, such as a medical record number: unique per organization
 * (or per owner for personal records) by the database's patient_identifiers (V15). Stored on the
 * record as JSON and answered as sent.
 */
@RegisterForReflection
@Schema(name = "Identifier", description = "A `(system, value)` pair is unique within an organization (and within one user's"
        + " personal patients): a second patient with it is a 409.")
public record Identifier(
        @NotNull(message = "is required") @Size(max = 255) @AbsoluteUri
        @Schema(required = true, examples = "http://hospital.example.org/mrn", maxLength = 255,
                description = "An absolute URI naming the identifier's namespace") String system,
        @NotNull(message = "is required") @Pattern(regexp = VISIBLE, message = "must be 1 to 100 visible characters (no spaces or control characters)")
        @Schema(required = true, examples = "MRN-004211", minLength = 1, maxLength = 100) String value) {

    /** 1–100 characters, none of them a space, control, format or unassigned character. */
    static final String VISIBLE = "[^\\p{Z}\\p{Cc}\\p{Cf}\\p{Cn}\\p{Co}\\p{Cs}\\s]{1,100}";

    /** {@code system|value}, the FHIR token form. */
    public String token() {
        return system + "|" + value;
    }
}
