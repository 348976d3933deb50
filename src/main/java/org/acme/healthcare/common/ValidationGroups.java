package org.acme.healthcare.common;

import jakarta.validation.groups.Default;

/** Rules that differ between creating (POST) and changing (PUT) a record. */
public final class ValidationGroups {
    private ValidationGroups() {
    }

    /** POST: required fields must be present. */
    public interface OnCreate extends Default {
    }

    /** PUT: absent fields stay as they are, but a required field cannot be set to null. */
    public interface OnUpdate extends Default {
    }
}
