package org.acme.healthcare.organization;

import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import org.acme.healthcare.json.RequestBodies.InvalidValue;

/**
 * A member's role in an organization. {@code admin}: members, invitations, settings, audit, and
 * everything a clinician does; {@code clinician}: reads and writes the organization's patients;
 * {@code reader}: reads them. Input and storage are the lower-case word.
 */
public enum OrgRole {
    ADMIN, CLINICIAN, READER;

    static final String ALLOWED = "must be one of admin, clinician, reader";

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Exactly the lower-case word: a role is a code, not free text. */
    @JsonCreator
    public static OrgRole parse(String value) {
        for (OrgRole r : values()) {
            if (r.word().equals(value)) {
                return r;
            }
        }
        throw new InvalidValue(ALLOWED);
    }

    /** May write the organization's patients (admins and clinicians). */
    public boolean writes() {
        return this != READER;
    }

    @Converter(autoApply = true)
    public static class DbConverter implements AttributeConverter<OrgRole, String> {
        @Override
        public String convertToDatabaseColumn(OrgRole role) {
            return role == null ? null : role.word();
        }

        @Override
        public OrgRole convertToEntityAttribute(String word) {
            return word == null ? null : parse(word);
        }
    }
}
