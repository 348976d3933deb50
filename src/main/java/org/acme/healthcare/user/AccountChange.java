package org.acme.healthcare.user;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What an admin may change on an account: its role, whether it is disabled, or both. */
@Schema(name = "AccountChange")
public record AccountChange(
        @Pattern(regexp = "user|admin", message = "must be user or admin")
        @Schema(enumeration = { "user", "admin" }, examples = "admin") String role,
        @Schema(description = "true: the account can no longer log in or refresh, and every session it has ends",
                examples = "false") Boolean disabled) {

    @AssertTrue(message = "give role, disabled, or both")
    @Schema(hidden = true)
    public boolean isChangeGiven() {
        return role != null || disabled != null;
    }
}
