package org.acme.healthcare.organization;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.acme.healthcare.json.RequestBodies.Patch.OnCreate;
import org.acme.healthcare.json.RequestBodies.Patch.Required;
import org.acme.healthcare.json.RequestBodies.Patch;
import org.acme.healthcare.validation.VisibleText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of POST (name required) and PATCH (an absent name stays as it is; it can't be cleared). */
@Schema(name = "OrganizationRequest", description = "A `name` of only spaces or invisible characters, or with a bidirectional"
        + " control (U+202A–U+202E, U+2066–U+2069), is refused.")
public record OrganizationRequest(
        @Required(groups = OnCreate.class)
        @Schema(required = true, implementation = String.class, examples = "Riverside Clinic", maxLength = 200)
        Patch<@NotNull(message = "is required") @Size(max = 200) @VisibleText String> name) {
}
