package org.acme.healthcare.common;

import jakarta.validation.groups.Default;

/** Rules that differ between creating (POST) and changing (PUT) a record. */
public final class ValidationGroups {
    private ValidationGroups() {
    }

    /** POST: required fields ({@code @Required(groups = OnCreate.class)}) must be given. */
    public interface OnCreate extends Default {
    }

    /** PUT: any field may be absent (it stays as it is); a {@code @NotNull} on a Patch's value still refuses a null. */
    public interface OnUpdate extends Default {
    }
}
