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
 * An email with no invisible, space or control character anywhere in it
 * ({@link VisibleText.Validator#isInvisible}: zero-width and other format characters, the
 * bidirectional controls U+202A–U+202E and U+2066–U+2069, no-break spaces, variation selectors).
 * On every email the API accepts: an account's (register, login) and a patient's or doctor's.
 */
@Target({ FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE })
@Retention(RUNTIME)
@Constraint(validatedBy = VisibleEmail.Validator.class)
public @interface VisibleEmail {
    String message() default "must not contain invisible, space or control characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<VisibleEmail, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || value.codePoints().noneMatch(VisibleText.Validator::isInvisible);
        }
    }
}
