package org.acme.healthcare.user;

import java.text.Normalizer;
import java.util.Locale;

import org.acme.healthcare.validation.VisibleText;

import com.ibm.icu.text.SpoofChecker;

/**
 * The one rule for comparing account emails: Unicode NFKC (so fullwidth {@code ａlice} is
 * {@code alice}, and a decomposed {@code mäx} is the composed one), then trimmed, then
 * lower-cased. Characters that cannot be seen (zero-width and other format characters,
 * no-break and other spaces, controls, variation selectors, fillers) are not allowed anywhere
 * in an email, so two accounts can never differ only by them. Two emails with the same Unicode
 * TR39 confusable {@link #skeleton} ({@code аlice} with a Cyrillic {@code а}, and {@code alice})
 * cannot both have an account either.
 */
public final class Emails {
    /** Built once: its data (ICU's confusables.cfu) is read then. Its checks and skeletons are thread-safe. */
    private static final SpoofChecker SPOOF_CHECKER = new SpoofChecker.Builder().build();

    private Emails() {
    }

    /**
     * The Unicode TR39 confusable skeleton of a normalised email, as ICU4J computes it: two emails
     * that look alike (Cyrillic {@code а} for Latin {@code a}, {@code rn} for {@code m}, {@code 1}
     * for {@code l}) have the same one. Stored beside the email (V10), unique. Null stays null.
     */
    public static String skeleton(String normalizedEmail) {
        return normalizedEmail == null ? null : SPOOF_CHECKER.getSkeleton(normalizedEmail);
    }

    /** NFKC, trimmed, lower-cased; null stays null. Invisible characters are kept (and refused by {@link #isVisible}). */
    public static String normalize(String email) {
        if (email == null) {
            return null;
        }
        return Normalizer.normalize(email, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * As {@link #normalize}, with invisible characters removed first. Only for accounts stored
     * before the rule existed (migration V5): their owners could never have seen those characters.
     */
    public static String canonical(String email) {
        if (email == null) {
            return null;
        }
        StringBuilder visible = new StringBuilder(email.length());
        Normalizer.normalize(email, Normalizer.Form.NFKC).strip().codePoints()
                .filter(cp -> !isInvisible(cp))
                .forEach(visible::appendCodePoint);
        return normalize(visible.toString());
    }

    /** True when no character of the (normalised) email is invisible. */
    public static boolean isVisible(String email) {
        return email.codePoints().noneMatch(Emails::isInvisible);
    }

    /** Controls, format characters, every space and the code points that render as nothing (see {@link VisibleText.Validator#isInvisible}). */
    static boolean isInvisible(int cp) {
        return VisibleText.Validator.isInvisible(cp);
    }
}

