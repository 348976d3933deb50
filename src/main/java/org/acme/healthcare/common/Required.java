package org.acme.healthcare.common;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A {@link Patch} field the body must give (with a value: a null is refused by a
 * {@code @NotNull} on the type argument). Used with {@code groups = OnCreate.class}: a create
 * needs it, a change may leave it out.
 */
@Target({ FIELD, PARAMETER, RECORD_COMPONENT })
@Retention(RUNTIME)
@Constraint(validatedBy = Required.Validator.class)
public @interface Required {
    String message() default "is required";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<Required, Patch<?>> {
        @Override
        public boolean isValid(Patch<?> value, ConstraintValidatorContext context) {
            return value != null && value.isGiven();
        }
    }
}
