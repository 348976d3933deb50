package org.acme.healthcare.user;

import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The new password follows the register rules; the account's email is checked against it by the service. */
@Schema(name = "PasswordChangeRequest")
public record PasswordChangeRequest(
        @NotNull @PasswordBytes @Schema(examples = "correct horse battery staple", minLength = 8, maxLength = 72) String currentPassword,
        @NotNull @PasswordBytes @Schema(examples = "purple monkey dishwasher lamp", minLength = 8, maxLength = 72,
                description = PasswordPolicy.DESCRIPTION) String newPassword) {
}
