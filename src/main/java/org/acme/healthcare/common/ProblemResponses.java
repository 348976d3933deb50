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
        return unauthorizedFor(path, null);
    }

    /** 401 for a missing or refused token; {@code authorization} (the header as sent, or null) may add a hint. */
    public static Response unauthorizedFor(String path, String authorization) {
        return unauthorized(path, Problem.of(ProblemType.UNAUTHORIZED, unauthorizedDetail(authorization), path));
    }

    private static final java.util.regex.Pattern DOUBLE_BEARER = java.util.regex.Pattern.compile("(?i)^\\s*bearer\\s+bearer(\\s|$).*");

    /**
     * Why a token was refused, for the client. The one mistake worth naming is the scheme written
     * twice ({@code Authorization: Bearer Bearer eyJ…}): pasting {@code Bearer <token>} into a field
     * that adds {@code Bearer } itself, such as Swagger UI's Authorize dialog. Nothing of the token
     * is echoed.
     */
    static String unauthorizedDetail(String authorization) {
        if (authorization != null && DOUBLE_BEARER.matcher(authorization).matches()) {
            return "A valid bearer token is required. The Authorization header says \"Bearer\" twice: send"
                    + " `Authorization: Bearer <token>` (in Swagger UI's Authorize dialog, paste the token alone).";
        }
        return "A valid bearer token is required.";
    }

    public static Response unauthorized(String path, Problem problem) {
        return Response.status(401).type(Problem.MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(problem).build();
    }
}
