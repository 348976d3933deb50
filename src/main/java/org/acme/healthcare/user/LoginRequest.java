package org.acme.healthcare.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.acme.healthcare.validation.VisibleEmail;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The register rules for the password's length apply here too: over 72 bytes is a 400, never a check of the first 72. */
@Schema(name = "LoginRequest")
public record LoginRequest(
        @NotBlank @VisibleEmail @Size(max = 254) @Schema(examples = "grace@example.com") String email,
        @NotNull @PasswordBytes @Schema(examples = "correct horse battery staple", minLength = 8, maxLength = 72,
                description = "8 to 72 bytes of UTF-8") String password) {

    public LoginRequest {
        email = Emails.normalize(email);
    }
}
