package org.acme.healthcare.common;

import java.util.Optional;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.std.ReferenceTypeDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.ReferenceType;

/**
 * Partial updates need three states per field. With this module an {@link Optional} record
 * component is {@code null} when the field is absent, {@code Optional.empty()} when it is JSON
 * {@code null}, and {@code Optional.of(value)} otherwise. (Jackson's own Optional support maps
 * absent and null alike to empty.) Only request records for PUT use Optional fields.
 */
final class PatchOptionals extends SimpleModule {

    PatchOptionals() {
        super("patch-optionals");
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addDeserializers(new Deserializers.Base() {
            @Override
            public JsonDeserializer<?> findReferenceDeserializer(ReferenceType type, DeserializationConfig config,
                    BeanDescription beanDesc, TypeDeserializer contentTypeDeserializer,
                    JsonDeserializer<?> contentDeserializer) {
                return type.hasRawClass(Optional.class)
                        ? new TriState(type, null, contentTypeDeserializer, contentDeserializer)
                        : null;
            }
        });
    }

    static final class TriState extends ReferenceTypeDeserializer<Optional<?>> {
        TriState(JavaType fullType, ValueInstantiator inst, TypeDeserializer typeDeser, JsonDeserializer<?> deser) {
            super(fullType, inst, typeDeser, deser);
        }

        @Override
        protected TriState withResolved(TypeDeserializer typeDeser, JsonDeserializer<?> valueDeser) {
            return new TriState(_fullType, _valueInstantiator, typeDeser, valueDeser);
        }

        @Override
        public Optional<?> getNullValue(DeserializationContext ctxt) {
            return Optional.empty();
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null;
        }

        @Override
        public Object getEmptyValue(DeserializationContext ctxt) {
            return Optional.empty();
        }

        @Override
        public Optional<?> referenceValue(Object contents) {
            return Optional.ofNullable(contents);
        }

        @Override
        public Optional<?> updateReference(Optional<?> reference, Object contents) {
            return Optional.ofNullable(contents);
        }

        @Override
        public Object getReferenced(Optional<?> reference) {
            return reference.orElse(null);
        }
    }
}
