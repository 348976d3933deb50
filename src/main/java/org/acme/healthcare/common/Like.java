package org.acme.healthcare.common;

import java.util.Locale;

/**
 * The bound value of a case-insensitive {@code like ... escape '!'} search: the client's text
 * lower-cased, its {@code %} and {@code _} taken literally (served by the trigram indexes on
 * {@code lower(column)}).
 */
public final class Like {
    private Like() {
    }

    /** {@code %text%} for {@code lower(column) like :q escape '!'}. */
    public static String contains(String text) {
        return "%" + escape(text.strip().toLowerCase(Locale.ROOT)) + "%";
    }

    public static String escape(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
