package org.acme.healthcare.patient;

import java.time.LocalDate;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonAlias;

import org.acme.healthcare.json.RequestBodies.Patch.OnCreate;
import org.acme.healthcare.json.RequestBodies.Patch.Required;
import org.acme.healthcare.json.RequestBodies.Patch;
import org.acme.healthcare.validation.BirthDate;
import org.acme.healthcare.validation.VisibleEmail;
import org.acme.healthcare.validation.VisibleText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of POST and PUT. Every field is a {@link Patch}: absent (PUT leaves it), null (PUT
 * clears it) or a value; constraints sit on the value. {@code name} is required on POST and can't
 * be cleared. Input alias: {@code condition} for {@code disease} (both at once is a 400). The
 * owner is never read from here: an {@code ownerId}, {@code userId} or {@code id} is ignored.
 */
@Schema(name = "PatientRequest", description = "On PUT, absent fields stay as they are and `null` clears an optional field."
        + " Every bad field is reported at once; a `name` of only spaces or invisible characters, or with a bidirectional control (U+202A–U+202E, U+2066–U+2069), is refused;"
        + " so is an `email` with an invisible, space or control character.")
public record PatientRequest(
        @Required(groups = OnCreate.class)
        @Schema(required = true, implementation = String.class, nullable = true, examples = "Jane Doe", maxLength = 200)
        Patch<@NotNull(message = "is required") @Size(max = 200) @VisibleText String> name,

        @Schema(implementation = Integer.class, nullable = true, examples = "42", minimum = "0", maximum = "150")
        Patch<@Min(0) @Max(150) Integer> age,

        @Schema(implementation = String.class, nullable = true, enumeration = { "male", "female", "other", "unknown" },
                description = "Case-insensitive; also takes the HL7 codes M, F, O, U. Output is the lower-case word.",
                examples = "female")
        Patch<Gender> gender,

        @Schema(implementation = String.class, nullable = true, examples = "1 Main St, Springfield", maxLength = 500)
        Patch<@Size(max = 500) String> address,

        @Schema(implementation = String.class, nullable = true, examples = "+1 555 0100", maxLength = 50)
        Patch<@Size(max = 50) String> phone,

        @Schema(implementation = String.class, nullable = true, examples = "jane@example.com", maxLength = 254)
        Patch<@Email @VisibleEmail @Size(max = 254) String> email,

        @JsonAlias("condition")
        @Schema(implementation = String.class, nullable = true, description = "The condition being treated (input alias: `condition`; both in one body is a 400)",
                examples = "Hypertension", maxLength = 2000)
        Patch<@Size(max = 2000) String> disease,

        @Schema(implementation = Long.class, nullable = true, examples = "7", description = "On POST: create the patient in this"
                + " organization (the caller must be its admin or clinician: a reader gets 403, a non-member 404); absent or null:"
                + " a personal patient. On PUT: moves a personal patient into this organization, once, by its owner; a patient"
                + " never leaves its organization (another value, or null, is a 409).")
        Patch<@Min(1) Long> organizationId,

        @Schema(implementation = Boolean.class, nullable = true, examples = "false", description = "Only for a patient of an"
                + " organization: readable only by its creator, the organization's admins and holders of a live break-glass"
                + " grant. `null` is `false`.")
        Patch<Boolean> restricted,

        @Schema(implementation = String.class, format = "date", nullable = true, examples = "1984-03-07", description = "`YYYY-MM-DD`, from"
                + " 1900-01-01 to today (UTC). When set, `age` is computed from it in every answer; an `age` in the same"
                + " body (or sent while the record has a birth date) that disagrees is a 400.")
        Patch<@BirthDate LocalDate> birthDate,

        @Schema(implementation = String.class, nullable = true, examples = "Doe", maxLength = 200,
                description = "The family name; `name` stays the display text")
        Patch<@Size(max = 200) @VisibleText String> familyName,

        @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY, implementation = String.class,
                nullable = true, examples = "[\"Jane\", \"Q.\"]", maxItems = 10, description = "Given names, in order")
        Patch<@Size(max = 10) List<@NotNull(message = "must not be null") @Size(max = 200) @VisibleText String>> givenNames,

        @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY, implementation = Identifier.class,
                nullable = true, maxItems = 20, examples = "[{\"system\": \"http://hospital.example.org/mrn\", \"value\": \"MRN-004211\"}]", description = "Business identifiers such as a medical record number. A PUT"
                + " with `identifiers` replaces the whole list. A `(system, value)` pair is unique within an organization"
                + " (and within one user's personal patients): a second is a 409; the same pair twice in one list is a 400.")
        Patch<@Size(max = 20) List<@NotNull(message = "must not be null") @Valid Identifier>> identifiers) {
}
