package org.acme.healthcare.common;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A JSON body that Jackson read outside {@link JsonBodyReader} (which reports its own errors,
 * field by field): one 400 problem, never the parser's message (it names classes and repeats
 * input).
 */
public class JsonBodyProblems {

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return ProblemResponses.response(problem(e, uri.getPath()));
    }

    /** Declared on its own so that it outranks Quarkus' built-in mapper for this type, which repeats the parser's message. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    /** Also for a parse failure the framework wrapped in a {@code WebApplicationException}. */
    static Problem problem(JsonProcessingException e, String path) {
        return e instanceof MismatchedInputException
                ? Problem.of(ProblemType.MALFORMED, "The request body must be a JSON object of the documented shape.", path)
                : Problem.of(ProblemType.MALFORMED, "The request body is not valid JSON.", path);
    }
}
