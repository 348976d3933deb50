package org.acme.healthcare.condition;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.acme.healthcare.validation.VisibleText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A condition's code: ICD-10-CM or SNOMED CT ({@link Codes}), with an optional display text. */
@RegisterForReflection
@ConditionCode.Fits
@Schema(name = "ConditionCode")
public record ConditionCode(
        @NotNull(message = "is required") @Pattern(regexp = SYSTEMS, message = "must be " + Codes.ICD10CM + " or " + Codes.SNOMED)
        @Schema(required = true, enumeration = { Codes.ICD10CM, Codes.SNOMED }, examples = Codes.SNOMED) String system,
        @NotNull(message = "is required") @Size(max = 20)
        @Schema(required = true, examples = "44054006", description = "ICD-10-CM: shaped like `E11.9`; SNOMED CT: 6 to 18"
                + " digits ending in a valid Verhoeff check digit") String code,
        @Size(max = 500) @VisibleText @Schema(examples = "Diabetes mellitus type 2 (disorder)") String display) {

    static final String SYSTEMS = "\\Qhttp://hl7.org/fhir/sid/icd-10-cm\\E|\\Qhttp://snomed.info/sct\\E";

    /** The code has the shape its system requires; reported on {@code code.code}. */
    @Target(TYPE)
    @Retention(RUNTIME)
    @Constraint(validatedBy = Fits.Validator.class)
    public @interface Fits {
        String message() default "does not fit its system";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<Fits, ConditionCode> {
            @Override
            public boolean isValid(ConditionCode value, ConstraintValidatorContext context) {
                if (value == null || value.system() == null || value.code() == null) {
                    return true;
                }
                String problem = Codes.problem(value.system(), value.code());
                if (problem == null) {
                    return true;
                }
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(problem).addPropertyNode("code").addConstraintViolation();
                return false;
            }
        }
    }
}
