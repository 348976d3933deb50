package org.acme.healthcare.common;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A status the framework answered (no such path, wrong method or media type ...): the same
 * status as a problem with the table's detail, its {@code Allow} and {@code Retry-After} kept.
 */
public class WebApplicationMapper {
    @ServerExceptionMapper
    public Response map(WebApplicationException e, UriInfo uri) {
        JsonProcessingException json = ProblemTable.find(e, JsonProcessingException.class);
        if (json != null) {
            return ProblemResponses.response(JsonBodyProblems.problem(json, uri.getPath()));
        }
        int status = e.getResponse().getStatus();
        if (status == 404 && e.getCause() != null) {
            // JAX-RS answers a path or query parameter that does not convert with 404; it is bad input.
            return ProblemResponses.response(Problem.of(ProblemType.MALFORMED,
                    "A path or query parameter has an invalid value.", uri.getPath()));
        }
        if (status >= 500) {
            return ProblemLog.internal(e, uri.getPath());
        }
        ProblemType type = ProblemType.forStatus(status);
        Response.ResponseBuilder builder = Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(type, ProblemTable.detail(type), uri.getPath()));
        copyHeader(e.getResponse(), builder, HttpHeaders.ALLOW);
        copyHeader(e.getResponse(), builder, HttpHeaders.RETRY_AFTER);
        if (status == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return builder.build();
    }

    private static void copyHeader(Response from, Response.ResponseBuilder to, String header) {
        Object value = from.getHeaders().getFirst(header);
        if (value != null) {
            to.header(header, value);
        }
    }
}
