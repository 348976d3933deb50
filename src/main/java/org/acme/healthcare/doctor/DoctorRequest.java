package org.acme.healthcare.doctor;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonAlias;

import org.acme.healthcare.json.RequestBodies.Patch.OnCreate;
import org.acme.healthcare.json.RequestBodies.Patch.Required;
import org.acme.healthcare.json.RequestBodies.Patch;
import org.acme.healthcare.validation.VisibleEmail;
import org.acme.healthcare.validation.VisibleText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of POST and PUT; the same {@link Patch} rules as for patients. Input alias:
 * {@code specialty} for {@code specialization} (both at once is a 400). {@code createdBy} is
 * never read from here.
 */
@Schema(name = "DoctorRequest", description = "On PUT, absent fields stay as they are and `null` clears an optional field."
        + " Every bad field is reported at once; a `name` of only spaces or invisible characters, or with a bidirectional control (U+202A–U+202E, U+2066–U+2069), is refused;"
        + " so is an `email` with an invisible, space or control character.")
public record DoctorRequest(
        @Required(groups = OnCreate.class)
        @Schema(required = true, implementation = String.class, nullable = true, examples = "Dr. Gregory House", maxLength = 200)
        Patch<@NotNull(message = "is required") @Size(max = 200) @VisibleText String> name,

        @JsonAlias("specialty")
        @Schema(implementation = String.class, nullable = true, description = "Input alias: `specialty` (both in one body is a 400)", examples = "Nephrology", maxLength = 200)
        Patch<@Size(max = 200) String> specialization,

        @Schema(implementation = String.class, nullable = true, examples = "house@example.com", maxLength = 254)
        Patch<@Email @VisibleEmail @Size(max = 254) String> email,

        @Schema(implementation = String.class, nullable = true, examples = "+1 555 0199", maxLength = 50)
        Patch<@Size(max = 50) String> phone,

        @Schema(implementation = String.class, nullable = true, description = "Free text", examples = "Mon-Fri 9-17, room 221", maxLength = 1000)
        Patch<@Size(max = 1000) String> contactInfo,

        @Schema(implementation = Integer.class, nullable = true, examples = "45", minimum = "0", maximum = "150")
        Patch<@Min(0) @Max(150) Integer> age) {
}
