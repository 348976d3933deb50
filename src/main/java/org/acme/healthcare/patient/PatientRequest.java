package org.acme.healthcare.patient;

import java.util.Optional;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonAlias;

import org.acme.healthcare.common.ValidationGroups.OnCreate;
import org.acme.healthcare.common.ValidationGroups.OnUpdate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of POST and PUT. Each field is absent ({@code null}: PUT leaves it), JSON null
 * (empty: PUT clears it) or a value. Constraints sit on the value inside the Optional. The
 * owner is never read from here: an {@code ownerId}, {@code userId} or {@code id} is ignored.
 */
@Schema(name = "PatientRequest", description = "On PUT, absent fields stay as they are and `null` clears an optional field.")
public record PatientRequest(
        @NotNull(groups = OnCreate.class, message = "is required")
        @Schema(required = true, examples = "Jane Doe", maxLength = 200)
        Optional<@NotNull(groups = { OnCreate.class, OnUpdate.class }, message = "is required")
                @Size(min = 1, max = 200) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String> name,

        @Schema(examples = "42", minimum = "0", maximum = "150")
        Optional<@Min(0) @Max(150) Integer> age,

        @Schema(implementation = String.class, enumeration = { "male", "female", "other", "unknown" },
                description = "Case-insensitive; also takes the HL7 codes M, F, O, U. Output is the lower-case word.",
                examples = "female")
        Optional<Gender> gender,

        @Schema(examples = "1 Main St, Springfield", maxLength = 500)
        Optional<@Size(max = 500) String> address,

        @Schema(examples = "+1 555 0100", maxLength = 50)
        Optional<@Size(max = 50) String> phone,

        @Schema(examples = "jane@example.com", maxLength = 254)
        Optional<@Email @Size(max = 254) String> email,

        @JsonAlias("condition")
        @Schema(description = "The condition being treated (input alias: `condition`)", examples = "Hypertension",
                maxLength = 2000)
        Optional<@Size(max = 2000) String> disease) {
}
