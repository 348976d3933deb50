package org.acme.healthcare.json;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import jakarta.inject.Singleton;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Payload;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.groups.ConvertGroup;
import jakarta.validation.groups.Default;
import jakarta.validation.valueextraction.ExtractedValue;
import jakarta.validation.valueextraction.ValueExtractor;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Problem;

import io.quarkus.jackson.ObjectMapperCustomizer;
/**
 * How the API reads a JSON request body, in one place:
 * <ul>
 * <li>{@link Reader}: every record body is checked as strict UTF-8, parsed with {@link Strict}'s
 * rules, then read field by field, so the client hears about every bad field at once;</li>
 * <li>{@link Strict}: the mapper's rules (no coercion of scalars, no duplicate keys, no NUL);</li>
 * <li>{@link Patch}: the three-state field of a body that may change part of a record, with
 * {@link Patch.Required} and the {@link Patch.OnCreate} / {@link Patch.OnUpdate} groups;</li>
 * <li>{@link InvalidValue}: a value's own, client-safe reason it cannot be read.</li>
 * </ul>
 */
public final class RequestBodies {
    private RequestBodies() {
    }

    /**
     * Reads every JSON request body that is a record ({@code PatientRequest}, {@code LoginRequest},
     * ...) so that the client hears about every bad field at once:
     * <ol>
     * <li>The body is parsed as a tree with the strict limits of {@link Strict} (duplicate keys,
     * nesting, trailing content, number length). Not JSON, or not a JSON object: one 400 problem.</li>
     * <li>Each field of the record is read on its own, so a value of the wrong type ({@code "12"} for
     * an age, {@code 12} for a name, an unknown gender) is one entry in {@code errors} and hides
     * nothing else. A field sent under its name and its {@code @JsonAlias} at once is an error too:
     * neither silently wins. Unknown fields are ignored.</li>
     * <li>The record, built from the fields that read, is validated (the groups of the parameter's
     * {@code @ConvertGroup}); the violations join the reading errors, one entry per field.</li>
     * </ol>
     * Errors name the key the client sent ({@code condition} when the body said {@code condition})
     * and never repeat the value. The resource's {@code @Valid} then runs on a record that has
     * already passed, and states which rules apply.
     * <p>
     * Before any of that the body must be valid UTF-8: Jackson's decoder is lenient (an overlong
     * {@code C0 AF} reads as {@code /}, a classic way past filters, and bytes inside ignored fields
     * are never looked at), so it is checked with a strict decoder first. Bodies are at most
     * {@code HEALTHCARE_MAX_BODY_SIZE}, so reading one into memory is bounded.
     */
    @Provider
    @Consumes(MediaType.APPLICATION_JSON)
    public static class Reader implements MessageBodyReader<Record> {
        private final ObjectMapper mapper;
        private final Validator validator;
        private final ClassValue<List<Field>> fields = new ClassValue<>() {
            @Override
            protected List<Field> computeValue(Class<?> type) {
                return fieldsOf(type);
            }
        };

        /** A record component as JSON sees it: its name, its input aliases, its Java name and type. */
        record Field(String name, List<String> aliases, String javaName, JavaType type) {
        }

        Reader(ObjectMapper mapper, Validator validator) {
            this.mapper = mapper;
            this.validator = validator;
        }

        @Override
        public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
            return type.isRecord();
        }

        @Override
        public Record readFrom(Class<Record> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                MultivaluedMap<String, String> headers, InputStream body) throws IOException {
            ObjectNode json = readObject(body);
            Map<String, Set<String>> errors = new TreeMap<>(); // field -> its messages, one entry per field
            Map<String, String> sentAs = new LinkedHashMap<>(); // Java name -> the key the client used
            ObjectNode read = json.objectNode();
            List<Field> given = new ArrayList<>();
            for (Field f : fields.get(type)) {
                List<String> keys = new ArrayList<>(2);
                if (json.has(f.name())) {
                    keys.add(f.name());
                }
                f.aliases().stream().filter(json::has).forEach(keys::add);
                if (keys.size() > 1) {
                    add(errors, f.name(), "must not be sent together with " + String.join(" and ", keys.subList(1, keys.size())));
                } else if (keys.size() == 1) {
                    sentAs.put(f.javaName(), keys.get(0));
                    read.set(f.name(), json.get(keys.get(0)));
                    given.add(f);
                }
            }
            Record record = build(type, read);
            if (record == null) {
                // Some value did not read: find every one, then build the record from the others.
                for (Field f : given) {
                    String problem = problemWith(read.get(f.name()), f.type());
                    if (problem != null) {
                        add(errors, sentAs.get(f.javaName()), problem);
                        read.remove(f.name());
                    }
                }
                record = build(type, read);
                if (record == null) {
                    throw malformed("The request body must be a JSON object of the documented shape.");
                }
            }
            if (validates(annotations)) {
                Set<String> unreadable = new HashSet<>(errors.keySet());
                for (ConstraintViolation<Record> v : validator.validate(record, groups(annotations))) {
                    String javaName = javaNameOf(v.getPropertyPath());
                    String name = jsonName(type, javaName);
                    if (name == null) {
                        // A rule over several fields (AccountChange's "role, disabled, or both"): it speaks only when they all read.
                        if (unreadable.isEmpty()) {
                            add(errors, javaName, v.getMessage());
                        }
                    } else if (!unreadable.contains(sentAs.getOrDefault(javaName, name))) {
                        add(errors, sentAs.getOrDefault(javaName, name), v.getMessage());
                    }
                }
            }
            if (!errors.isEmpty()) {
                List<Problem.FieldError> list = new ArrayList<>();
                errors.forEach((field, messages) -> list.add(new Problem.FieldError(field, String.join("; ", messages))));
                throw new ApiException(Problem.Type.VALIDATION, "The request is invalid.", list);
            }
            return record;
        }

        private ObjectNode readObject(InputStream in) throws IOException {
            byte[] body = in.readAllBytes();
            try {
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(body));
            } catch (CharacterCodingException e) {
                throw malformed("The request body is not valid UTF-8.");
            }
            JsonNode tree;
            try {
                tree = mapper.readTree(body);
            } catch (JsonProcessingException e) {
                throw malformed("The request body is not valid JSON.");
            }
            if (tree == null || !tree.isObject()) {
                throw malformed("The request body must be a JSON object of the documented shape.");
            }
            return (ObjectNode) tree;
        }

        /** The record from these fields, or null when one of them does not read. */
        private Record build(Class<Record> type, ObjectNode read) {
            try {
                return mapper.treeToValue(read, type);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                return null;
            }
        }

        /** Why this value cannot be read as the field's type (a Patch's value type), or null when it can. */
        private String problemWith(JsonNode value, JavaType type) {
            JavaType target = type.hasRawClass(Patch.class) ? type.containedTypeOrUnknown(0) : type;
            if (value.isNull()) {
                return null;
            }
            try {
                mapper.readerFor(target).readValue(value);
                return null;
            } catch (IOException | IllegalArgumentException e) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof InvalidValue invalid) {
                        return invalid.getMessage();
                    }
                }
                return expected(target.getRawClass());
            }
        }

        private static String expected(Class<?> type) {
            if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
                return "must be a whole number in range";
            }
            if (type == String.class) {
                return "must be a string";
            }
            if (type == Boolean.class || type == boolean.class) {
                return "must be true or false";
            }
            return "has an invalid value";
        }

        private List<Field> fieldsOf(Class<?> type) {
            BeanDescription bean = mapper.getDeserializationConfig().introspect(mapper.constructType(type));
            List<Field> list = new ArrayList<>();
            for (BeanPropertyDefinition p : bean.findProperties()) {
                if (p.hasConstructorParameter()) {
                    List<String> aliases = p.findAliases().stream().map(PropertyName::getSimpleName).toList();
                    list.add(new Field(p.getName(), aliases, p.getInternalName(), p.getConstructorParameter().getType()));
                }
            }
            return List.copyOf(list);
        }

        /** The JSON name of the record component with this Java name, or null when no component has it. */
        private String jsonName(Class<?> type, String javaName) {
            for (Field f : fields.get(type)) {
                if (f.javaName().equals(javaName)) {
                    return f.name();
                }
            }
            return null;
        }

        /** {@code name}, {@code name.<patch value>} and a class-level rule's {@code password} all become the top-level name. */
        private static String javaNameOf(Path path) {
            for (Path.Node node : path) {
                if (node.getName() != null) {
                    return node.getName();
                }
            }
            return "body";
        }

        private static boolean validates(Annotation[] annotations) {
            for (Annotation a : annotations) {
                if (a instanceof Valid) {
                    return true;
                }
            }
            return false;
        }

        private static Class<?>[] groups(Annotation[] annotations) {
            for (Annotation a : annotations) {
                if (a instanceof ConvertGroup convert) {
                    return new Class<?>[] { convert.to() };
                }
            }
            return new Class<?>[] { Default.class };
        }

        private static void add(Map<String, Set<String>> errors, String field, String message) {
            errors.computeIfAbsent(field, k -> new TreeSet<>()).add(message);
        }

        private static ApiException malformed(String detail) {
            return new ApiException(Problem.Type.MALFORMED, detail);
        }
    }

    /**
     * Thrown while reading a JSON value, with a message that is safe to show the client as-is
     * (it names the accepted values and never repeats the rejected one).
     */
    public static class InvalidValue extends IllegalArgumentException {
        public InvalidValue(String message) {
            super(message);
        }
    }

    /**
     * JSON input is read strictly: a wrong type is a 400, not a guess. {@code "12"} is not an age,
     * {@code 12} is not a name, {@code 1.5} is not an id; duplicate keys, trailing content, deep
     * nesting and NUL characters (which PostgreSQL cannot store) are refused. Unknown fields are
     * still ignored, as the contract asks.
     */
    @Singleton
    public static class Strict implements ObjectMapperCustomizer {
        static final int MAX_NESTING_DEPTH = 32;

        /** Last, after Quarkus registers its modules (JavaTimeModule among them): ours must win. */
        @Override
        public int priority() {
            return MINIMUM_PRIORITY;
        }

        @Override
        @SuppressWarnings("deprecation")
        public void customize(ObjectMapper mapper) {
            mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
            mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
            mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
            mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            for (CoercionInputShape shape : new CoercionInputShape[] { CoercionInputShape.Integer, CoercionInputShape.Float,
                    CoercionInputShape.Boolean }) {
                mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
            }
            mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
            mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
            mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
            mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .build());
            mapper.registerModule(new SimpleModule("strict-strings").addDeserializer(String.class, new NoNulStrings())
                    .addDeserializer(java.time.LocalDate.class, new IsoStringOnly<>(java.time.LocalDate.class,
                            com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer.INSTANCE))
                    .addDeserializer(java.time.Instant.class, new IsoStringOnly<>(java.time.Instant.class,
                            com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer.INSTANT)));
        }

        /**
         * Dates and instants only as ISO-8601 strings: Jackson's own readers also take epoch numbers
         * and {@code [y, m, d]} arrays (and read {@code []} as null, silently clearing a field).
         */
        static final class IsoStringOnly<T> extends com.fasterxml.jackson.databind.deser.std.StdDeserializer<T> {
            private final com.fasterxml.jackson.databind.JsonDeserializer<T> iso;

            IsoStringOnly(Class<T> type, com.fasterxml.jackson.databind.JsonDeserializer<T> iso) {
                super(type);
                this.iso = iso;
            }

            @Override
            @SuppressWarnings("unchecked")
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (!p.hasToken(com.fasterxml.jackson.core.JsonToken.VALUE_STRING)) {
                    return (T) ctxt.handleUnexpectedToken(handledType(), p);
                }
                return iso.deserialize(p, ctxt);
            }
        }

        /**
         * Strings as usual, but a NUL character (PostgreSQL cannot store it) or an unpaired
         * surrogate (it would be stored as '?', silently changing the value) is a client error.
         */
        static final class NoNulStrings extends StringDeserializer {
            @Override
            public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String value = super.deserialize(p, ctxt);
                if (value != null) {
                    if (value.indexOf('\u0000') >= 0) {
                        throw JsonMappingException.from(p, "NUL character in string",
                                new InvalidValue("must not contain NUL characters"));
                    }
                    if (hasUnpairedSurrogate(value)) {
                        throw JsonMappingException.from(p, "unpaired surrogate in string",
                                new InvalidValue("must be valid Unicode text"));
                    }
                }
                return value;
            }

            static boolean hasUnpairedSurrogate(String s) {
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        i++;
                    } else if (Character.isSurrogate(c)) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

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
    public static final class Patch<T> {
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
}
