package org.acme.healthcare.common;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Bean Validation: 400 with one entry per violation, under the field's clean name. */
public class ValidationMapper {
    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(fieldOf(v.getPropertyPath()), v.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message));
        return ProblemResponses.response(Problem.validation("The request is invalid.", uri.getPath(), errors));
    }

    /** A validation set-up the validator cannot run (not a client error): 500, without details. */
    @ServerExceptionMapper
    public Response setup(ValidationException e, UriInfo uri) {
        return ProblemLog.internal(e, uri.getPath());
    }

    /** {@code create.body.name} becomes {@code name}; a query parameter keeps its own name. */
    static String fieldOf(Path path) {
        List<String> names = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            } else if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.BEAN) {
                if (node.getName() != null) {
                    names.add(node.getName());
                }
            }
        }
        if (!names.isEmpty()) {
            return String.join(".", names);
        }
        return parameter != null ? parameter : "body";
    }
}
