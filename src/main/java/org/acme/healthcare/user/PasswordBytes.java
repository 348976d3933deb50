package org.acme.healthcare.user;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** A password of 8 to 72 bytes in UTF-8: bcrypt reads only 72 bytes, so a longer one is refused, not truncated. */
@Target({ FIELD, PARAMETER, RECORD_COMPONENT })
@Retention(RUNTIME)
@Constraint(validatedBy = PasswordBytes.Validator.class)
public @interface PasswordBytes {
    int MIN = 8;
    int MAX = 72;

    String message() default "must be 8 to 72 bytes long in UTF-8";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<PasswordBytes, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || fits(value);
        }

        static boolean fits(String value) {
            int bytes = value.getBytes(StandardCharsets.UTF_8).length;
            return bytes >= MIN && bytes <= MAX;
        }
    }
}
