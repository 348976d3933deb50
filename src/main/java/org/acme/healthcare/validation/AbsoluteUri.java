package org.acme.healthcare.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.URISyntaxException;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * An absolute URI (RFC 3986: a scheme, then the rest), such as {@code http://hospital.example.org/mrn}
 * or {@code urn:oid:2.16.840.1.113883.4.3.25}: what FHIR requires of an identifier's or a code's
 * system. No whitespace or control characters. Null is left to {@code @NotNull}.
 */
@Target({ FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE })
@Retention(RUNTIME)
@Constraint(validatedBy = AbsoluteUri.Validator.class)
public @interface AbsoluteUri {
    String message() default "must be an absolute URI (such as http://example.org/mrn or urn:oid:1.2.3)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<AbsoluteUri, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || valid(value);
        }

        public static boolean valid(String value) {
            if (value.isEmpty() || value.codePoints().anyMatch(cp -> cp <= 0x20 || Character.isISOControl(cp)
                    || Character.isWhitespace(cp) || Character.getType(cp) == Character.FORMAT)) {
                return false;
            }
            try {
                URI uri = new URI(value);
                return uri.isAbsolute() && uri.getScheme().length() > 1 && (uri.isOpaque() || uri.getRawSchemeSpecificPart().length() > 2);
            } catch (URISyntaxException e) {
                return false;
            }
        }
    }
}
