package org.acme.healthcare.common;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * Int settings limited to a range, checked while the configuration is read: a value outside it
 * stops the start with the property's name, the value and the range. Used through a small
 * {@code Converter<Integer>} per range with {@code @WithConverter} on a {@code @ConfigMapping}
 * method, instead of {@code @Min}/{@code @Max}: a constraint on any mapping makes Quarkus
 * bootstrap Hibernate Validator for the configuration before anything else starts (the largest
 * item of the main thread's start-up, bench/results/2026-12-07-startup-2.md), for a few numbers.
 * (Each converter implements {@code Converter<Integer>} itself: SmallRye Config checks the
 * return type of its own {@code convert}, which a subclass of a generic base may hide behind a bridge.)
 */
public final class IntRange {
    private IntRange() {
    }

    /** {@code value} as an int within {@code min..max}, else an IllegalArgumentException naming the range. */
    public static int parse(String value, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number: " + value);
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException((max == Integer.MAX_VALUE ? "must be at least " + min
                    : "must be between " + min + " and " + max) + ", is " + v);
        }
        return v;
    }

    /** At least 1. */
    public static final class Positive implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            return parse(value, 1, Integer.MAX_VALUE);
        }
    }
}
