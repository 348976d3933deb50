package org.acme.healthcare.user;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.nulabinc.zxcvbn.StandardDictionaries;

/**
 * What a new password (at register and at password change) must not be, beyond its length
 * ({@link PasswordBytes}): one of the 30,000 most commonly used passwords, in any case, or the
 * account's email or the email's local part. The list is zxcvbn's {@code passwords} frequency
 * list as zxcvbn4j ships it (README, "Passwords"); it is read once, on first use.
 * Login never applies this rule: an account made before it existed must still be able to log in
 * and change its password.
 */
public final class PasswordPolicy {
    private PasswordPolicy() {
    }

    /** Why the password is refused, for the client; empty when it is acceptable. */
    public static Optional<String> problem(String password, String normalizedEmail) {
        if (password == null) {
            return Optional.empty();
        }
        String folded = Emails.normalize(password);
        if (normalizedEmail != null) {
            int at = normalizedEmail.lastIndexOf('@');
            String local = at > 0 ? normalizedEmail.substring(0, at) : normalizedEmail;
            if (folded.equals(normalizedEmail) || folded.equals(local)) {
                return Optional.of("must not be your email or a part of it");
            }
        }
        if (Common.PASSWORDS.contains(password.toLowerCase(Locale.ROOT)) || Common.PASSWORDS.contains(folded)) {
            return Optional.of("is one of the most commonly used passwords; choose another");
        }
        return Optional.empty();
    }

    /** Number of passwords in the list (tests and the README check it is at least 10,000). */
    static int listSize() {
        return Common.PASSWORDS.size();
    }

    private static final class Common {
        static final Set<String> PASSWORDS = load();

        private static Set<String> load() {
            try {
                return Set.copyOf(StandardDictionaries.PASSWORDS_LOADER.load().getRankedDictionary().keySet());
            } catch (IOException e) {
                throw new UncheckedIOException("The common-password list could not be read", e);
            }
        }
    }
}
