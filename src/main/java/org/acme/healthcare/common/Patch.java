package org.acme.healthcare.common;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.io.IOException;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.function.Consumer;

import jakarta.inject.Singleton;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.groups.Default;
import jakarta.validation.valueextraction.ExtractedValue;
import jakarta.validation.valueextraction.ValueExtractor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;

/**
 * One field of a body that may change part of a record (PUT): the field is <b>absent</b> (leave
 * what is stored), JSON <b>null</b> (clear it) or a <b>value</b> (set it). On a create the same
 * body means: absent and null are both "no value".
 *
 * <pre>{@code
 * Patch<@Size(max = 500) String> address     // in the request record
 * request.address().ifGiven(v -> p.address = v);   // in the service: absent leaves, null clears
 * }</pre>
 *
 * Constraints on the type argument check the value when one is given (null included), through
 * {@link Extractor}; {@link Required} says the field must be given at all, on a create
 * ({@link OnCreate}; a change is {@link OnUpdate}).
 */
@JsonDeserialize(using = Patch.Json.class)
public final class Patch<T> {
    private static final Patch<?> ABSENT = new Patch<>(false, null);
    private static final Patch<?> NULL = new Patch<>(true, null);

    private final boolean given;
    private final T value;

    private Patch(boolean given, T value) {
        this.given = given;
        this.value = value;
    }

    @SuppressWarnings("unchecked")
    public static <T> Patch<T> absent() {
        return (Patch<T>) ABSENT;
    }

    /** A field the body gave: {@code null} clears it. */
    @SuppressWarnings("unchecked")
    public static <T> Patch<T> of(T value) {
        return value == null ? (Patch<T>) NULL : new Patch<>(true, value);
    }

    /** Whether the body had this field (with a value or null). */
    public boolean isGiven() {
        return given;
    }

    /** The value given, or null when the field was absent or null. */
    public T orNull() {
        return value;
    }

    /** Applies a given field (its value, or null to clear); an absent one changes nothing. */
    public void ifGiven(Consumer<? super T> setter) {
        if (given) {
            setter.accept(value);
        }
    }

    @Override
    public String toString() {
        return given ? (value == null ? "Patch[null]" : "Patch[value]") : "Patch[absent]"; // never the value: it may be clinical
    }

    /** Jackson: a missing field reads as {@link #absent()}, JSON null as {@code of(null)}, anything else as the value's type reads it. */
    static final class Json extends JsonDeserializer<Patch<?>> implements ContextualDeserializer {
        private final JsonDeserializer<?> content;

        Json() {
            this(null);
        }

        private Json(JsonDeserializer<?> content) {
            this.content = content;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
                throws JsonMappingException {
            JavaType type = property != null ? property.getType() : ctxt.getContextualType();
            return new Json(ctxt.findContextualValueDeserializer(type.containedTypeOrUnknown(0), property));
        }

        @Override
        public Patch<?> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return of(content.deserialize(p, ctxt));
        }

        @Override
        public Patch<?> getNullValue(DeserializationContext ctxt) {
            return of(null);
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return absent();
        }
    }

    /** Hibernate Validator: the constraints on {@code Patch<@Size(max = 500) String>} see the value when one was given. */
    @Singleton
    public static final class Extractor implements ValueExtractor<Patch<@ExtractedValue ?>> {
        @Override
        public void extractValues(Patch<?> patch, ValueReceiver receiver) {
            if (patch.given) {
                receiver.value(null, patch.value);
            }
        }
    }

    /** POST: fields marked {@link Required} must be given. Used with {@code @ConvertGroup(to = OnCreate.class)}. */
    public interface OnCreate extends Default {
    }

    /** PUT: any field may be absent (it stays as it is); a {@code @NotNull} on a Patch's value still refuses a null. */
    public interface OnUpdate extends Default {
    }

    /**
     * A field the body must give (with a value: a null is refused by a {@code @NotNull} on the
     * type argument). Used with {@code groups = OnCreate.class}: a create needs it, a change may
     * leave it out.
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
}
