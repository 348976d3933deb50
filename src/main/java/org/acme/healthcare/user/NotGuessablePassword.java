package org.acme.healthcare.user;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * On a sign-up: the password passes {@link PasswordPolicy} for the email it comes with. A
 * class-level rule because it reads two fields; the error is reported on {@code password}, in the
 * same pass as every other field's.
 */
@Target(TYPE)
@Retention(RUNTIME)
@Constraint(validatedBy = NotGuessablePassword.Validator.class)
public @interface NotGuessablePassword {
    String message() default "is too easy to guess";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<NotGuessablePassword, RegisterRequest> {
        @Override
        public boolean isValid(RegisterRequest value, ConstraintValidatorContext context) {
            if (value == null || value.password() == null || !PasswordBytes.Validator.fits(value.password())) {
                return true; // the length rule speaks for itself
            }
            var problem = PasswordPolicy.problem(value.password(), Emails.normalize(value.email()));
            if (problem.isEmpty()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem.get().replace("{", "").replace("$", ""))
                    .addPropertyNode("password").addConstraintViolation();
            return false;
        }
    }
}
