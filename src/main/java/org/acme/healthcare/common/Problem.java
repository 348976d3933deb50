package org.acme.healthcare.common;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

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
        @Schema(description = "The route template of the request (never echoes client input)", examples = "/api/patients/{id}") String instance,
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
            @Schema(examples = "is required") String message) {
    }

    /** The API's own path words; any other segment of a request path is the client's input. */
    private static final Set<String> LITERAL_SEGMENTS = Set.of("conditions", "api", "auth", "register", "login", "refresh", "logout",
            "sessions", "password", "me", "users", "patients", "history", "doctors", "mappings", "patient", "audit", "q",
            "organizations", "invitations", "accept", "members", "break-glass");

    /** Where Quarkus REST keeps the matched route's template on the request's context (its observability hook). */
    private static final String URL_PATH_TEMPLATE = "UrlPathTemplate";

    /** Seconds a client is asked to wait before it retries a 503. */
    public static final int RETRY_AFTER_SECONDS = 5;

    public static Problem of(Type type, String detail, String path) {
        return new Problem(TYPE_PREFIX + type.slug, type.title, type.status, detail, instance(path), null, null);
    }

    public static Problem validation(String detail, String path, List<FieldError> errors) {
        Type t = Type.VALIDATION;
        return new Problem(TYPE_PREFIX + t.slug, t.title, t.status, detail, instance(path), errors, null);
    }

    public static Problem internal(String path, String correlationId) {
        Type t = Type.INTERNAL;
        return new Problem(TYPE_PREFIX + t.slug, t.title, t.status,
                "An unexpected error occurred. Quote the correlation id when reporting it.", instance(path), null,
                correlationId);
    }

    /** This problem as a response, with the problem media type. */
    public Response response() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }

    /** 503 with {@code Retry-After}: the service is saturated or its database does not answer. */
    public static Response unavailable(String path, String detail) {
        return Response.status(503).type(MEDIA_TYPE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .entity(of(Type.SERVICE_UNAVAILABLE, detail, path)).build();
    }

    /** 401 with {@code WWW-Authenticate: Bearer}. */
    public static Response unauthorized(String path, String detail) {
        return Response.status(401).type(MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(of(Type.UNAUTHORIZED, detail, path)).build();
    }

    private static final Pattern DOUBLE_BEARER = Pattern.compile("(?i)^\\s*bearer\\s+bearer(\\s|$).*");

    /**
     * Why a token was refused, for the client. The one mistake worth naming is the scheme written
     * twice ({@code Authorization: Bearer Bearer eyJ…}): pasting {@code Bearer <token>} into a field
     * that adds {@code Bearer } itself, such as Swagger UI's Authorize dialog. Nothing of the token
     * is echoed.
     */
    public static String unauthorizedDetail(String authorization) {
        if (authorization != null && DOUBLE_BEARER.matcher(authorization).matches()) {
            return "A valid bearer token is required. The Authorization header says \"Bearer\" twice: send"
                    + " `Authorization: Bearer <token>` (in Swagger UI's Authorize dialog, paste the token alone).";
        }
        return Type.UNAUTHORIZED.detail;
    }

    /**
     * The route template of the request ({@code /api/patients/{id}}, {@code /api/auth/refresh},
     * {@code /api/mappings/patient/{patientId}}), as the resource declares it and as the metrics
     * are tagged: the one Quarkus REST matched, also for a request refused before the resource ran
     * (401, a path parameter that is not a number). A path no route matches (404, 405) gets
     * {@link #sanitized(String)}'s stand-in. Never the client's raw input.
     */
    public static String instance(String path) {
        String template = matchedTemplate();
        return template != null ? template : sanitized(path);
    }

    private static String matchedTemplate() {
        Context context = Vertx.currentContext();
        if (context == null) {
            return null;
        }
        @SuppressWarnings("deprecation")
        Object template = context.getLocal(URL_PATH_TEMPLATE);
        return template instanceof String s && s.startsWith("/") && s.length() <= 200 ? s : null;
    }

    /**
     * The request path as a template: the API's own words stay, every other segment becomes
     * {@code {id}} (digits) or {@code {segment}}, so a rejected value is never reflected back
     * ({@code /api/nothing-here} becomes {@code /api/{segment}}).
     */
    static String sanitized(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            sb.append('/');
            if (LITERAL_SEGMENTS.contains(segment)) {
                sb.append(segment);
            } else {
                sb.append(segment.chars().allMatch(c -> c >= '0' && c <= '9') ? "{id}" : "{segment}");
            }
            if (sb.length() > 200) {
                break;
            }
        }
        return sb.isEmpty() ? "/" : sb.toString();
    }

    /**
     * The kinds of problem the API reports: status, title, the slug of its type URI, and the detail
     * used when the framework answered the status itself (an unknown path, a wrong method ...).
     */
    public enum Type {
        VALIDATION(400, "Bad Request", "validation", "The request is invalid."),
        MALFORMED(400, "Bad Request", "malformed-request", "The request could not be processed."),
        UNAUTHORIZED(401, "Unauthorized", "unauthorized", "A valid bearer token is required."),
        FORBIDDEN(403, "Forbidden", "forbidden", "You are not allowed to do this."),
        /** A restricted record: readable by this member only under a break-glass grant (POST /api/patients/{id}/break-glass). */
        BREAK_GLASS_REQUIRED(403, "Forbidden", "break-glass-required", "This record is restricted."),
        NOT_FOUND(404, "Not Found", "not-found", "No resource exists at this path."),
        METHOD_NOT_ALLOWED(405, "Method Not Allowed", "method-not-allowed", "This path does not support the request method."),
        NOT_ACCEPTABLE(406, "Not Acceptable", "not-acceptable", "The service answers application/json only."),
        CONFLICT(409, "Conflict", "conflict", "The request could not be processed."),
        PRECONDITION_FAILED(412, "Precondition Failed", "precondition-failed", "The request could not be processed."),
        PAYLOAD_TOO_LARGE(413, "Content Too Large", "payload-too-large", "The request body is too large."),
        URI_TOO_LONG(414, "URI Too Long", "uri-too-long", "The request line is longer than the service accepts."),
        UNSUPPORTED_MEDIA_TYPE(415, "Unsupported Media Type", "unsupported-media-type", "The request body must be application/json."),
        TOO_MANY_REQUESTS(429, "Too Many Requests", "too-many-requests", "The request could not be processed."),
        HEADER_FIELDS_TOO_LARGE(431, "Request Header Fields Too Large", "header-fields-too-large",
                "The request headers are larger than the service accepts."),
        INTERNAL(500, "Internal Server Error", "internal", "The request could not be processed."),
        SERVICE_UNAVAILABLE(503, "Service Unavailable", "unavailable", "The request could not be processed.");

        public final int status;
        public final String title;
        public final String slug;
        /** The detail of a problem the framework answered with this status; never an exception's message. */
        public final String detail;

        Type(int status, String title, String slug, String detail) {
            this.status = status;
            this.title = title;
            this.slug = slug;
            this.detail = detail;
        }

        /** The problem type for an HTTP status the framework produced. */
        public static Type forStatus(int status) {
            for (Type t : values()) {
                if (t.status == status && t != VALIDATION) {
                    return t;
                }
            }
            return status >= 500 ? INTERNAL : MALFORMED;
        }
    }
}
