package org.acme.healthcare.common;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A failure the API reports on purpose: its type, its client-written detail, its field errors. */
public class ApiExceptionMapper {
    @ServerExceptionMapper
    public Response map(ApiException e, UriInfo uri) {
        return response(e, uri.getPath());
    }

    static Response response(ApiException e, String path) {
        if (e instanceof ApiException.Unavailable unavailable) {
            return ProblemResponses.unavailable(path, unavailable.getMessage());
        }
        Problem problem = e.type() == ProblemType.VALIDATION
                ? Problem.validation(e.getMessage(), path, e.errors())
                : Problem.of(e.type(), e.getMessage(), path);
        if (e instanceof ApiException.Throttled throttled) {
            return Response.status(429).type(Problem.MEDIA_TYPE)
                    .header(HttpHeaders.RETRY_AFTER, Math.max(1, throttled.retryAfterSeconds)).entity(problem).build();
        }
        return e.type() == ProblemType.UNAUTHORIZED ? ProblemResponses.unauthorized(path, problem)
                : ProblemResponses.response(problem);
    }
}
