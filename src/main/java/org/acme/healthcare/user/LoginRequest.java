package org.acme.healthcare.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "LoginRequest")
public record LoginRequest(
        @NotBlank @Size(max = 254) @Schema(examples = "ada@example.com") String email,
        @NotBlank @Size(max = 1024) @Schema(examples = "correct horse battery") String password) {

    public LoginRequest {
        email = email == null ? null : email.strip();
    }
}
