package org.acme.healthcare.user;

import java.text.Normalizer;
import java.util.Locale;

import org.acme.healthcare.common.VisibleText;

/**
 * The one rule for comparing account emails: Unicode NFKC (so fullwidth {@code ａlice} is
 * {@code alice}, and a decomposed {@code mäx} is the composed one), then trimmed, then
 * lower-cased. Characters that cannot be seen (zero-width and other format characters,
 * no-break and other spaces, controls, variation selectors, fillers) are not allowed anywhere
 * in an email, so two accounts can never differ only by them.
 */
public final class Emails {
    private Emails() {
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

