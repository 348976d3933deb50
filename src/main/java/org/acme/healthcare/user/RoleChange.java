package org.acme.healthcare.user;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "RoleChange")
public record RoleChange(
        @NotNull @Pattern(regexp = "user|admin", message = "must be user or admin")
        @Schema(enumeration = { "user", "admin" }, examples = "admin") String role) {
}
