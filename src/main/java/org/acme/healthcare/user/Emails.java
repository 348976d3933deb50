package org.acme.healthcare.user;

import java.text.Normalizer;
import java.util.Locale;

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

    /**
     * Controls, format characters (U+200B…U+200F, U+2060…, U+FEFF, bidi controls), every space
     * (an email has none: U+00A0 inside one is refused) and the default-ignorable code points
     * that render as nothing (variation selectors, combining grapheme joiner, Hangul fillers).
     */
    static boolean isInvisible(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.SURROGATE
                || type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || Character.isWhitespace(cp)
                || cp == 0x034F // combining grapheme joiner
                || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 // Hangul fillers
                || cp == 0x17B4 || cp == 0x17B5 // Khmer inherent vowels
                || (cp >= 0x180B && cp <= 0x180F) // Mongolian variation selectors and vowel separator
                || (cp >= 0xFE00 && cp <= 0xFE0F) // variation selectors
                || (cp >= 0xE0100 && cp <= 0xE01EF); // variation selectors supplement
    }
}
