package org.acme.healthcare.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.acme.healthcare.validation.VisibleEmail;
import org.acme.healthcare.validation.VisibleText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Sign-up. Any other field (a {@code role}, say) is ignored: registering never grants a role. */
@Schema(name = "RegisterRequest")
@NotGuessablePassword
public record RegisterRequest(
        @NotBlank @VisibleText @Size(max = 200) @Schema(examples = "Grace Hopper", maxLength = 200,
                description = "At least one visible character; no bidirectional control (U+202A–U+202E, U+2066–U+2069)") String name,
        @NotBlank @Email @VisibleEmail @Size(max = 254) @Schema(examples = "grace@example.com", maxLength = 254,
                description = "Compared after Unicode NFKC normalisation, trimming and lower-casing; invisible,"
                        + " space and control characters (bidirectional controls included) are refused. An email that"
                        + " looks like an existing account's (the same Unicode TR39 confusable skeleton: Cyrillic а for a)"
                        + " is taken like that one (409). The example is not the README walkthrough's ada@example.com,"
                        + " so trying it after the walkthrough is not a 409") String email,
        @NotNull @PasswordBytes @Schema(examples = "correct horse battery staple", minLength = 8, maxLength = 72,
                description = PasswordPolicy.DESCRIPTION) String password) {

    /** The email is normalised (NFKC, trimmed, lower-cased) before it is validated; the password is taken exactly as sent. */
    public RegisterRequest {
        email = Emails.normalize(email);
    }
}
