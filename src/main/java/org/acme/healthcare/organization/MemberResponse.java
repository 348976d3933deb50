package org.acme.healthcare.organization;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "Member", description = "A member of an organization, as its members see them")
public record MemberResponse(
        @Schema(examples = "7") long userId,
        @Schema(examples = "Ada Lovelace") String name,
        @Schema(examples = "ada@example.com") String email,
        @Schema(enumeration = { "admin", "clinician", "reader" }, examples = "reader") String role,
        Instant joinedAt) {

    public static MemberResponse from(Membership.Member m) {
        return new MemberResponse(m.userId(), m.name(), m.email(), m.role().word(), m.joinedAt());
    }
}
