package org.acme.healthcare.organization;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "Membership", description = "The caller's membership of an organization")
public record MembershipResponse(
        @Schema(examples = "1") Long organizationId,
        @Schema(enumeration = { "admin", "clinician", "reader" }, examples = "clinician") String role) {

    public static MembershipResponse from(Membership m) {
        return new MembershipResponse(m.organizationId, m.role.word());
    }
}
