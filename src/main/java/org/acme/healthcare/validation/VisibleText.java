package org.acme.healthcare.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Text someone can read as it is: at least one character that is not a space or invisible, and no
 * bidirectional control anywhere. A name of only spaces, no-break spaces (U+00A0), zero-width
 * characters (U+200B, U+200C, U+200D, U+2060, U+FEFF) or other format or control characters is
 * refused ({@code @NotBlank} lets all of those but the ASCII spaces through); so is a name with an
 * embedding, override or isolate (U+202A–U+202E, U+2066–U+2069), which makes it display in another
 * order than it is stored ({@code "Ada \u202Eecalevol"} shows as {@code Ada lovelace}). On every
 * name the API accepts. Null is left to {@code @NotNull}.
 */
@Target({ FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE })
@Retention(RUNTIME)
@Constraint(validatedBy = VisibleText.Validator.class)
public @interface VisibleText {
    String message() default "must contain a visible character";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<VisibleText, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            if (value.codePoints().anyMatch(Validator::isBidiControl)) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate("must not contain bidirectional control characters")
                        .addConstraintViolation();
                return false;
            }
            return !value.codePoints().allMatch(Validator::isInvisible);
        }

        /** The bidirectional embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
        public static boolean isBidiControl(int cp) {
            return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
        }

        /**
         * Controls, format characters (U+200B…U+200F, U+2060…, U+FEFF, bidi controls), every space
         * (U+00A0 included) and the default-ignorable code points that render as nothing (variation
         * selectors, combining grapheme joiner, Hangul fillers).
         */
        public static boolean isInvisible(int cp) {
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
}
