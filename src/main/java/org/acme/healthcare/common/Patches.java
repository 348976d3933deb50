package org.acme.healthcare.common;

import java.util.Optional;
import java.util.function.Consumer;

/** Applies one field of a partial update: absent ({@code null}) leaves it, empty clears it, a value sets it. */
public final class Patches {
    private Patches() {
    }

    public static <T> void apply(Optional<T> field, Consumer<T> setter) {
        if (field != null) {
            setter.accept(field.orElse(null));
        }
    }

    /** The value for a create: absent and null are both "no value". */
    public static <T> T value(Optional<T> field) {
        return field == null ? null : field.orElse(null);
    }
}
