package org.acme.healthcare.user;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.nulabinc.zxcvbn.StandardDictionaries;

/**
 * What a new password (at register, at password change and for the configured first admin) must
 * not be, beyond its length ({@link PasswordBytes}), checked in this order:
 * <ol>
 * <li>the account's email or the email's local part;</li>
 * <li>one character repeated ({@code aaaaaaaa}), a run of consecutive characters up or down
 * ({@code 12345678}, {@code abcdefgh}, {@code 87654321}; after 9 comes 0), or a shorter password
 * repeated ({@code 12341234}, {@code passwordpassword});</li>
 * <li>a context word, the service's name or {@code healthcare}, once its digits, symbols and
 * spaces are taken out ({@code Healthcare2024!}, {@code health-care}, {@code healthcare-api});</li>
 * <li>one of the 30,000 most commonly used passwords, as it is or with at most
 * {@value #MAX_DECORATION} digits, symbols or spaces before and after it ({@code Welcome1!},
 * {@code Password2024!}).</li>
 * </ol>
 * All in any case and after NFKC (a fullwidth {@code ａｂｃｄｅｆｇｈ} is {@code abcdefgh}). The list is
 * zxcvbn's {@code passwords} frequency list as zxcvbn4j ships it (README, "Passwords"); it is read
 * once, on first use. Login never applies this rule: an account made before it existed must still
 * be able to log in and change its password.
 */
public final class PasswordPolicy {
    /** At most this many digits, symbols or spaces around a common password still make it a common one. */
    static final int MAX_DECORATION = 6;

    /** The service's names (application name, OpenAPI title) and its domain, as letters only. */
    private static final Set<String> CONTEXT_WORDS = Set.of("healthcare", "healthcareapi");

    /** These rules and the length's, for the OpenAPI document (register and password change). */
    public static final String DESCRIPTION = "8 to 72 bytes of UTF-8 (bcrypt reads 72 bytes; longer is refused, never truncated). Not the"
            + " email or its local part; not one character repeated (aaaaaaaa), a run up or down (12345678, abcdefgh,"
            + " 87654321) or a shorter password repeated (12341234); not the service's name or `healthcare` with or without"
            + " digits and symbols (Healthcare2024!); not one of the 30,000 most common passwords, in any case, alone or"
            + " with up to 6 digits or symbols around it (Welcome1!)";

    private PasswordPolicy() {
    }

    /** Why the password is refused, for the client; empty when it is acceptable. Never names the password. */
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
        // Not stripped: eight spaces are one character repeated.
        int[] chars = Normalizer.normalize(password, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).codePoints().toArray();
        int period = shortestPeriod(chars);
        if (period == 1) {
            return Optional.of("must not be one character repeated");
        }
        if (isRun(chars)) {
            return Optional.of("must not be a run of consecutive characters, up or down");
        }
        if (period < chars.length) {
            return Optional.of("must not be a shorter password repeated");
        }
        if (CONTEXT_WORDS.contains(lettersOf(folded))) {
            return Optional.of("must not be the name of this service, with or without digits and symbols");
        }
        if (Common.PASSWORDS.contains(password.toLowerCase(Locale.ROOT)) || Common.PASSWORDS.contains(folded)) {
            return Optional.of("is one of the most commonly used passwords; choose another");
        }
        String core = withoutDecoration(folded);
        int decoration = folded.codePointCount(0, folded.length()) - core.codePointCount(0, core.length());
        if (!core.isEmpty() && decoration <= MAX_DECORATION && Common.PASSWORDS.contains(core)) {
            return Optional.of("is a commonly used password with digits or symbols added; choose another");
        }
        return Optional.empty();
    }

    /** The length of the shortest block the password repeats (its own length when it repeats nothing). */
    static int shortestPeriod(int[] chars) {
        for (int period = 1; period <= chars.length / 2; period++) {
            if (chars.length % period != 0) {
                continue;
            }
            boolean repeats = true;
            for (int i = period; i < chars.length && repeats; i++) {
                repeats = chars[i] == chars[i - period];
            }
            if (repeats) {
                return period;
            }
        }
        return chars.length;
    }

    /** Every character follows the one before it, all upwards or all downwards ({@code 7890123} counts: digits wrap). */
    static boolean isRun(int[] chars) {
        if (chars.length < 2) {
            return false;
        }
        boolean up = true;
        boolean down = true;
        for (int i = 1; i < chars.length; i++) {
            up &= chars[i] == next(chars[i - 1]);
            down &= chars[i - 1] == next(chars[i]);
        }
        return up || down;
    }

    private static int next(int cp) {
        return cp == '9' ? '0' : cp + 1;
    }

    private static String lettersOf(String text) {
        StringBuilder letters = new StringBuilder(text.length());
        text.codePoints().filter(Character::isLetter).forEach(letters::appendCodePoint);
        return letters.toString();
    }

    /** Without the digits, symbols and spaces before the first letter and after the last one. */
    private static String withoutDecoration(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && !Character.isLetter(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && !Character.isLetter(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
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
