package org.acme.healthcare.common;

import java.util.List;

/**
 * A failure the API reports on purpose. The message is written for the client and must never
 * contain clinical data, SQL or a rejected value.
 */
public class ApiException extends RuntimeException {
    private final ProblemType type;
    private final List<Problem.FieldError> errors;

    public ApiException(ProblemType type, String detail) {
        this(type, detail, null);
    }

    public ApiException(ProblemType type, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = errors;
    }

    public ProblemType type() {
        return type;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public static ApiException notFound(String what) {
        return new ApiException(ProblemType.NOT_FOUND, what + " not found.");
    }

    public static ApiException conflict(String detail) {
        return new ApiException(ProblemType.CONFLICT, detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(ProblemType.FORBIDDEN, detail);
    }

    public static ApiException invalidField(String field, String message) {
        return new ApiException(ProblemType.VALIDATION, "The request is invalid.",
                List.of(new Problem.FieldError(field, message)));
    }

    /** 429: the caller may retry after this many seconds ({@code Retry-After}). */
    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return new Throttled(detail, retryAfterSeconds);
    }

    public static final class Throttled extends ApiException {
        public final long retryAfterSeconds;

        Throttled(String detail, long retryAfterSeconds) {
            super(ProblemType.TOO_MANY_REQUESTS, detail);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    /** 503 with {@code Retry-After}: a capacity of the service is exhausted right now. */
    public static class Unavailable extends ApiException {
        public Unavailable(String detail) {
            super(ProblemType.SERVICE_UNAVAILABLE, detail);
        }
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(ProblemType.UNAUTHORIZED, detail);
    }
}
