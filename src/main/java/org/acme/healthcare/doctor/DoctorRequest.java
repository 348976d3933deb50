package org.acme.healthcare.doctor;

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

/** The body of POST and PUT; same absent/null/value rules as for patients. {@code createdBy} is never read from here. */
@Schema(name = "DoctorRequest", description = "On PUT, absent fields stay as they are and `null` clears an optional field.")
public record DoctorRequest(
        @NotNull(groups = OnCreate.class, message = "is required")
        @Schema(required = true, examples = "Dr. Gregory House", maxLength = 200)
        Optional<@NotNull(groups = { OnCreate.class, OnUpdate.class }, message = "is required")
                @Size(min = 1, max = 200) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String> name,

        @JsonAlias("specialty")
        @Schema(description = "Input alias: `specialty`", examples = "Nephrology", maxLength = 200)
        Optional<@Size(max = 200) String> specialization,

        @Schema(examples = "house@example.com", maxLength = 254)
        Optional<@Email @Size(max = 254) String> email,

        @Schema(examples = "+1 555 0199", maxLength = 50)
        Optional<@Size(max = 50) String> phone,

        @Schema(description = "Free text", examples = "Mon-Fri 9-17, room 221", maxLength = 1000)
        Optional<@Size(max = 1000) String> contactInfo,

        @Schema(examples = "45", minimum = "0", maximum = "150")
        Optional<@Min(0) @Max(150) Integer> age) {
}
