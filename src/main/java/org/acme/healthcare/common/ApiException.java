package org.acme.healthcare.common;

import java.util.List;
import java.util.Map;

/**
 * A failure the API reports on purpose. The message is written for the client and must never
 * contain clinical data, SQL or a rejected value.
 */
public class ApiException extends RuntimeException {
    private final Problem.Type type;
    private final List<Problem.FieldError> errors;

    public ApiException(Problem.Type type, String detail) {
        this(type, detail, null);
    }

    public ApiException(Problem.Type type, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = errors;
    }

    public Problem.Type type() {
        return type;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public static ApiException notFound(String what) {
        return new ApiException(Problem.Type.NOT_FOUND, what + " not found.");
    }

    public static ApiException conflict(String detail) {
        return new ApiException(Problem.Type.CONFLICT, detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(Problem.Type.FORBIDDEN, detail);
    }

    public static ApiException invalidField(String field, String message) {
        return new ApiException(Problem.Type.VALIDATION, "The request is invalid.",
                List.of(new Problem.FieldError(field, message)));
    }

    /** 429: the caller may retry after this many seconds ({@code Retry-After}). */
    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return new Throttled(detail, retryAfterSeconds);
    }

    public static final class Throttled extends ApiException {
        public final long retryAfterSeconds;

        Throttled(String detail, long retryAfterSeconds) {
            super(Problem.Type.TOO_MANY_REQUESTS, detail);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    /** 503 with {@code Retry-After}: a capacity of the service is exhausted right now. */
    public static class Unavailable extends ApiException {
        public Unavailable(String detail) {
            super(Problem.Type.SERVICE_UNAVAILABLE, detail);
        }
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(Problem.Type.UNAUTHORIZED, detail);
    }

    /**
     * A feature's database constraints and the client error each one is: the backstop behind
     * validation, when a race two requests ran at once gets past it. A feature produces one as a
     * bean beside the code that writes those tables; {@link ProblemMappers} answers a violation of
     * a named constraint with its error, and any other as a generic 409 or 400 (never a 500).
     */
    public record Constraints(Map<String, ApiException> byName) {
    }
}
