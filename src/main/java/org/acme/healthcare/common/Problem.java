package org.acme.healthcare.common;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem details document, the body of every 4xx and 5xx response.
 * {@code errors} is present on validation failures only, {@code correlationId} on 500s only.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details; media type application/problem+json.")
public record Problem(
        @Schema(description = "URI reference that names the kind of problem", examples = "urn:problem-type:healthcare:validation") String type,
        @Schema(description = "Short summary of the kind of problem", examples = "Bad Request") String title,
        @Schema(description = "HTTP status code", examples = "400") int status,
        @Schema(description = "What went wrong, for a person; never echoes the rejected value",
                examples = "The request is invalid.") String detail,
        @Schema(description = "The request path", examples = "/api/patients") String instance,
        @Schema(description = "One entry per invalid field (validation failures only)") List<FieldError> errors,
        @Schema(description = "Identifier of the failure in the service log (500 only)",
                examples = "9b2f4c7e-1d3a-4e5b-8c6d-7e8f9a0b1c2d") String correlationId) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:problem-type:healthcare:";

    /** One invalid field: its JSON path ({@code name}, {@code address}, {@code size}) and why. */
    @RegisterForReflection
    @Schema(name = "FieldError")
    public record FieldError(
            @Schema(examples = "name") String field,
            @Schema(examples = "must not be blank") String message) {
    }

    public static Problem of(ProblemType type, String detail, String instance) {
        return new Problem(TYPE_PREFIX + type.slug, type.title, type.status, detail, instance, null, null);
    }

    public static Problem validation(String detail, String instance, List<FieldError> errors) {
        ProblemType t = ProblemType.VALIDATION;
        return new Problem(TYPE_PREFIX + t.slug, t.title, t.status, detail, instance, errors, null);
    }

    public static Problem internal(String instance, String correlationId) {
        ProblemType t = ProblemType.INTERNAL;
        return new Problem(TYPE_PREFIX + t.slug, t.title, t.status,
                "An unexpected error occurred. Quote the correlation id when reporting it.", instance, null, correlationId);
    }
}
