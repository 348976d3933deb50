package org.acme.healthcare.common;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.ValidationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The one error path: every exception that leaves a resource becomes an RFC 9457 problem.
 * Details are written here, never taken from an exception message, so no SQL, class name,
 * stack trace or rejected value reaches a client.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        return toResponse(e, uri.getPath());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(fieldOf(v.getPropertyPath()), v.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message));
        return ProblemResponses.response(Problem.validation("The request is invalid.", uri.getPath(), errors));
    }

    /** A validation set-up the validator cannot run (not a client error): 500, without details. */
    @ServerExceptionMapper
    public Response validationSetup(ValidationException e, UriInfo uri) {
        return internal(e, uri.getPath());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status == 404 && e.getCause() != null) {
            // JAX-RS answers a path or query parameter that does not convert with 404; it is bad input.
            return ProblemResponses.response(Problem.of(ProblemType.MALFORMED,
                    "A path or query parameter has an invalid value.", uri.getPath()));
        }
        if (status >= 500) {
            return internal(e, uri.getPath());
        }
        ProblemType type = ProblemType.forStatus(status);
        Response.ResponseBuilder builder = Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(type, detailFor(type), uri.getPath()));
        copyHeader(e.getResponse(), builder, HttpHeaders.ALLOW);
        copyHeader(e.getResponse(), builder, HttpHeaders.RETRY_AFTER);
        if (status == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return builder.build();
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class,
            AuthenticationCompletionException.class })
    public Response unauthorized(UriInfo uri) {
        return ProblemResponses.unauthorized(uri.getPath());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return ProblemResponses.response(Problem.of(ProblemType.FORBIDDEN,
                "You are not allowed to do this.", uri.getPath()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        ApiException api = find(e, ApiException.class);
        if (api != null) {
            return toResponse(api, uri.getPath());
        }
        if (find(e, OptimisticLockException.class) != null || find(e, StaleStateException.class) != null) {
            return ProblemResponses.response(Problem.of(ProblemType.CONFLICT,
                    "The record was changed by someone else at the same time. Read it again and retry.", uri.getPath()));
        }
        org.hibernate.exception.ConstraintViolationException constraint = find(e,
                org.hibernate.exception.ConstraintViolationException.class);
        if (constraint != null) {
            return toResponse(DatabaseConstraints.toApiException(constraint.getConstraintName(), constraint.getSQLState()),
                    uri.getPath());
        }
        String temporary = DatabaseFailures.temporary(e);
        if (temporary != null) {
            // The database is unreachable, too slow or the pool is exhausted: temporary, not a bug.
            LOG.warnf("Database unavailable: %s", temporary);
            return ProblemResponses.unavailable(uri.getPath(),
                    "The service cannot get an answer from its database right now. Try again shortly.");
        }
        SQLException sql = find(e, SQLException.class);
        if (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
            // Data exception: a value PostgreSQL cannot store (e.g. a NUL character) is bad input.
            return ProblemResponses.response(Problem.of(ProblemType.MALFORMED,
                    "The request contains a value that cannot be stored.", uri.getPath()));
        }
        return internal(e, uri.getPath());
    }

    private static Response internal(Throwable e, String path) {
        // The request id (X-Request-Id, also on every log line of the request) when there is one.
        Object requestId = org.jboss.logging.MDC.get("requestId");
        String correlationId = requestId != null ? requestId.toString() : UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected failure, correlationId=%s", correlationId);
        return ProblemResponses.response(Problem.internal(path, correlationId));
    }

    private static Response toResponse(ApiException e, String path) {
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

    private static String detailFor(ProblemType type) {
        return switch (type) {
            case NOT_FOUND -> "No resource exists at this path.";
            case METHOD_NOT_ALLOWED -> "This path does not support the request method.";
            case UNSUPPORTED_MEDIA_TYPE -> "The request body must be application/json.";
            case NOT_ACCEPTABLE -> "The service answers application/json only.";
            case UNAUTHORIZED -> "A valid bearer token is required.";
            case FORBIDDEN -> "You are not allowed to do this.";
            case PAYLOAD_TOO_LARGE -> "The request body is too large.";
            default -> "The request could not be processed.";
        };
    }

    private static void copyHeader(Response from, Response.ResponseBuilder to, String header) {
        Object value = from.getHeaders().getFirst(header);
        if (value != null) {
            to.header(header, value);
        }
    }

    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
