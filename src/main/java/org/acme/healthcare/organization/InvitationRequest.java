package org.acme.healthcare.organization;

import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "InvitationRequest")
public record InvitationRequest(
        @NotNull(message = "is required; " + OrgRole.ALLOWED)
        @Schema(required = true, implementation = String.class, enumeration = { "admin", "clinician", "reader" },
                description = "The role the invited person gets on accepting", examples = "clinician") OrgRole role) {
}
