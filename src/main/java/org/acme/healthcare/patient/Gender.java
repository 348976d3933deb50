package org.acme.healthcare.patient;

import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import org.acme.healthcare.json.RequestBodies.InvalidValue;

/**
 * Administrative gender. Input is case-insensitive and also takes the HL7 codes M, F, O, U;
 * output (and storage) is always the lower-case word.
 */
public enum Gender {
    MALE("male", "m"),
    FEMALE("female", "f"),
    OTHER("other", "o"),
    UNKNOWN("unknown", "u");

    private final String word;
    private final String hl7;

    Gender(String word, String hl7) {
        this.word = word;
        this.hl7 = hl7;
    }

    @JsonValue
    public String word() {
        return word;
    }

    @JsonCreator
    public static Gender parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        for (Gender g : values()) {
            if (g.word.equals(v) || g.hl7.equals(v)) {
                return g;
            }
        }
        throw new InvalidValue("must be one of male, female, other, unknown (or M, F, O, U)");
    }

    @Converter(autoApply = true)
    public static class DbConverter implements AttributeConverter<Gender, String> {
        @Override
        public String convertToDatabaseColumn(Gender gender) {
            return gender == null ? null : gender.word;
        }

        @Override
        public Gender convertToEntityAttribute(String word) {
            return word == null ? null : parse(word);
        }
    }
}
