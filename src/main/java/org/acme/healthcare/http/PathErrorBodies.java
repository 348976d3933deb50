package org.acme.healthcare.http;

import java.util.Optional;

import org.acme.healthcare.common.Problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A part of the service whose paths answer errors in a format of their own (the FHIR view:
 * {@code OperationOutcome}). {@link HttpLayerProblems} and {@link HttpCodecProblems} ask these
 * before they write a problem document for an error answered before any resource runs
 * ({@link #render}). Implemented in the feature's folder ({@code fhir/FhirHttpErrors}).
 */
public interface PathErrorBodies {
    /** The body for an error on this path, or empty when the path is not this part's. */
    Optional<Body> body(String path, int status, String detail);

    record Body(String mediaType, String content) {
    }

    /**
     * The error body for this path: the first part that claims the path writes it, else a
     * problem document ({@code path} null: a request whose path could not be read, so no instance).
     */
    static Body render(Iterable<PathErrorBodies> parts, ObjectMapper mapper, String path, Problem.Type type, String detail) {
        for (PathErrorBodies part : parts) {
            Optional<Body> body = part.body(path, type.status, detail);
            if (body.isPresent()) {
                return body.get();
            }
        }
        Problem problem = Problem.of(type, detail, path);
        if (path == null) {
            problem = new Problem(problem.type(), problem.title(), problem.status(), detail, null, null, null);
        }
        try {
            return new Body(Problem.MEDIA_TYPE, mapper.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            return new Body(Problem.MEDIA_TYPE, "{\"status\":" + type.status + "}");
        }
    }
}
