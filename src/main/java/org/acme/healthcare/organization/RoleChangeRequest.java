package org.acme.healthcare.organization;

import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "RoleChangeRequest")
public record RoleChangeRequest(
        @NotNull(message = "is required; " + OrgRole.ALLOWED)
        @Schema(required = true, implementation = String.class, enumeration = { "admin", "clinician", "reader" },
                examples = "reader") OrgRole role) {
}
