package org.acme.healthcare.user;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "User", description = "An account. The password is never returned.")
public record UserResponse(
        @Schema(examples = "1") Long id,
        @Schema(examples = "Ada Lovelace") String name,
        @Schema(examples = "ada@example.com") String email,
        @Schema(enumeration = { "user", "admin" }, examples = "user") String role,
        @Schema(description = "A disabled account cannot log in or refresh and has no live session", examples = "false")
        boolean disabled,
        Instant createdAt) {

    public static UserResponse from(User u) {
        return new UserResponse(u.id, u.name, u.email, u.role, u.disabled, u.createdAt);
    }
}
