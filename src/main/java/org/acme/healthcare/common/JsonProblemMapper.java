package org.acme.healthcare.common;

import java.util.List;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request body that does not parse: 400, with the field when Jackson knows it. The message
 * is ours (or an {@link InvalidValueException}'s, written to be shown), never the parser's,
 * which would echo the rejected value.
 */
public class JsonProblemMapper {
    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return ProblemResponses.response(jsonProblem(e, uri.getPath()));
    }

    /** Declared on its own so that it outranks Quarkus' built-in mapper for this type. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    static Problem jsonProblem(JsonProcessingException e, String path) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = jsonPath(mapping);
            String message = InvalidValueException.class.isInstance(e.getCause()) ? e.getCause().getMessage()
                    : e instanceof MismatchedInputException mismatch ? typeMessage(mismatch.getTargetType())
                            : "has an invalid value";
            return Problem.validation("The request body is invalid.", path, List.of(new Problem.FieldError(field, message)));
        }
        if (e instanceof MismatchedInputException) {
            return Problem.of(ProblemType.MALFORMED, "The request body must be a JSON object of the documented shape.", path);
        }
        return Problem.of(ProblemType.MALFORMED, "The request body is not valid JSON.", path);
    }

    private static String typeMessage(Class<?> type) {
        if (type == null) {
            return "has an invalid value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "must be a whole number in range";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        return "has an invalid value";
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
