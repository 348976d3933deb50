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

    public static Response unauthorized(String path) {
        return unauthorized(path, Problem.of(ProblemType.UNAUTHORIZED, "A valid bearer token is required.", path));
    }

    public static Response unauthorized(String path, Problem problem) {
        return Response.status(401).type(Problem.MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(problem).build();
    }
}
