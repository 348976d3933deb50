package org.acme.healthcare.common;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** Builds problem responses with the right media type and headers. */
public final class ProblemResponses {
    private ProblemResponses() {
    }

    public static Response response(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** Seconds a client is asked to wait before it retries a 503. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /** 503 with {@code Retry-After}: the service is saturated or its database does not answer. */
    public static Response unavailable(String path, String detail) {
        return Response.status(503).type(Problem.MEDIA_TYPE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .entity(Problem.of(ProblemType.SERVICE_UNAVAILABLE, detail, path)).build();
    }

    public static Response unauthorized(String path) {
        return unauthorized(path, Problem.of(ProblemType.UNAUTHORIZED, "A valid bearer token is required.", path));
    }

    public static Response unauthorized(String path, Problem problem) {
        return Response.status(401).type(Problem.MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(problem).build();
    }
}
