package org.acme.healthcare.organization;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "Invitation", description = "A new invitation. Its `code` is shown only here, once: hand it to the person"
        + " invited, who accepts it with `POST /api/invitations/accept`. The service keeps only its hash.")
public record InvitationResponse(
        @Schema(examples = "1") Long id,
        @Schema(description = "The secret code (256 random bits, base64url); usable once, until `expiresAt`",
                examples = "q2V0aGlzLWlzLWFuLWV4YW1wbGUtaW52aXRhdGlvbi1jb2Rl") String code,
        @Schema(enumeration = { "admin", "clinician", "reader" }, examples = "clinician") String role,
        Instant expiresAt) {

    public static InvitationResponse from(OrganizationService.IssuedInvitation issued) {
        Invitation i = issued.invitation();
        return new InvitationResponse(i.id, issued.code(), i.role.word(), i.expiresAt);
    }
}
