package org.acme.healthcare.common;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import org.acme.healthcare.ops.RequestId;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.arc.Arc;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The error path: every exception a request can end with becomes an RFC 9457 problem document
 * here (the FHIR view rewrites it as an OperationOutcome: fhir/FhirErrors). One method per
 * exception family, then {@link #unexpected}, the catch-all, which looks for a known family
 * anywhere in the cause chain (a transaction, Hibernate or an interceptor often wraps it) and
 * otherwise answers 500 with only a correlation id.
 * <p>
 * A client never sees an exception's own message (it can name classes, quote SQL or repeat
 * input): only the details written here, in {@link Problem.Type}, or in an {@link ApiException}.
 * This is also the only place the error path logs: a 500 at ERROR with its stack trace, a
 * database outage as one WARN line; a client error is not logged.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** A failure the API reports on purpose: its type, its client-written detail, its field errors. */
    @ServerExceptionMapper
    public Response apiException(ApiException e, UriInfo uri) {
        return answer(e, uri.getPath());
    }

    /** Quarkus Security's 401; a hint when the header says {@code Bearer} twice. */
    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class,
            AuthenticationCompletionException.class })
    public Response unauthorized(UriInfo uri, HttpHeaders headers) {
        return Problem.unauthorized(uri.getPath(), Problem.unauthorizedDetail(headers.getHeaderString(HttpHeaders.AUTHORIZATION)));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Problem.of(Problem.Type.FORBIDDEN, Problem.Type.FORBIDDEN.detail, uri.getPath()).response();
    }

    /** Bean Validation: 400 with one entry per violation, under the field's clean name. */
    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(fieldOf(v.getPropertyPath()), v.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message));
        return Problem.validation(Problem.Type.VALIDATION.detail, uri.getPath(), errors).response();
    }

    /** A validation set-up the validator cannot run (not a client error): 500, without details. */
    @ServerExceptionMapper
    public Response validationSetup(ValidationException e, UriInfo uri) {
        return internal(e, uri.getPath());
    }

    /** Two writers of one record at once (its version moved under us): 409, read again and retry. */
    @ServerExceptionMapper({ OptimisticLockException.class, StaleStateException.class })
    public Response concurrentChange(UriInfo uri) {
        return concurrentChange(uri.getPath());
    }

    /** A database constraint fired (the backstop behind validation): the client error its feature named. */
    @ServerExceptionMapper
    public Response constraint(org.hibernate.exception.ConstraintViolationException e, UriInfo uri) {
        return answer(constraintError(e.getConstraintName(), e.getSQLState()), uri.getPath());
    }

    /** A JSON body Jackson could not read: one 400, never the parser's message. */
    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return json(e, uri.getPath());
    }

    /** Declared on its own so that it outranks Quarkus' built-in mapper for this type, which repeats the parser's message. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return json(e, uri.getPath());
    }

    /**
     * A date or time out of {@code java.time}'s range in a body (an epoch number of 2^63 seconds for an
     * instant): Jackson lets this through unwrapped. Dates are only ever built from input, so it is
     * the client's 400, never a 500.
     */
    @ServerExceptionMapper
    public Response dateTime(java.time.DateTimeException e, UriInfo uri) {
        return Problem.of(Problem.Type.MALFORMED, "A date or time in the request is out of range.", uri.getPath()).response();
    }

    /**
     * A status the framework answered (no such path, wrong method or media type ...): the same
     * status as a problem with the type's detail, its {@code Allow} and {@code Retry-After} kept.
     */
    @ServerExceptionMapper
    public Response framework(WebApplicationException e, UriInfo uri) {
        String path = uri.getPath();
        JsonProcessingException json = find(e, JsonProcessingException.class);
        if (json != null) {
            return json(json, path);
        }
        int status = e.getResponse().getStatus();
        if (status == 404 && e.getCause() != null) {
            // JAX-RS answers a path or query parameter that does not convert with 404; it is bad input.
            return Problem.of(Problem.Type.MALFORMED, "A path or query parameter has an invalid value.", path).response();
        }
        if (status >= 500) {
            return internal(e, path);
        }
        Problem.Type type = Problem.Type.forStatus(status);
        Response.ResponseBuilder builder = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(type, type.detail, path));
        for (String header : List.of(HttpHeaders.ALLOW, HttpHeaders.RETRY_AFTER)) {
            Object value = e.getResponse().getHeaders().getFirst(header);
            if (value != null) {
                builder.header(header, value);
            }
        }
        if (status == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return builder.build();
    }

    /**
     * The catch-all. Known families wrapped inside the exception answer as themselves, in this
     * order (a rolled-back transaction caused by a concurrent change is a 409, not a 503): a
     * deliberate failure, a concurrent change, a constraint, a temporary database failure (503),
     * a value the database cannot store (400). Anything else is a 500.
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        String path = uri.getPath();
        ApiException api = find(e, ApiException.class);
        if (api != null) {
            return answer(api, path);
        }
        if (find(e, OptimisticLockException.class) != null || find(e, StaleStateException.class) != null) {
            return concurrentChange(path);
        }
        var constraint = find(e, org.hibernate.exception.ConstraintViolationException.class);
        if (constraint != null) {
            return constraint(constraint, uri);
        }
        String temporary = temporaryDatabaseFailure(e);
        if (temporary != null) {
            LOG.warnf("Database unavailable: %s", temporary);
            return Problem.unavailable(path, "The service cannot get an answer from its database right now. Try again shortly.");
        }
        SQLException sql = find(e, SQLException.class);
        if (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
            // A data exception (SQLState class 22): a NUL character, say.
            return Problem.of(Problem.Type.MALFORMED, "The request contains a value that cannot be stored.", path).response();
        }
        return internal(e, path);
    }

    private static Response answer(ApiException e, String path) {
        if (e instanceof ApiException.Unavailable) {
            return Problem.unavailable(path, e.getMessage());
        }
        if (e.type() == Problem.Type.UNAUTHORIZED) {
            return Problem.unauthorized(path, e.getMessage());
        }
        Problem problem = e.type() == Problem.Type.VALIDATION
                ? Problem.validation(e.getMessage(), path, e.errors())
                : Problem.of(e.type(), e.getMessage(), path);
        if (e instanceof ApiException.Throttled throttled) {
            return Response.status(429).type(Problem.MEDIA_TYPE)
                    .header(HttpHeaders.RETRY_AFTER, Math.max(1, throttled.retryAfterSeconds)).entity(problem).build();
        }
        return problem.response();
    }

    private static volatile Map<String, ApiException> constraints;

    /** The client error of a database constraint: the one its feature named ({@link ApiException.Constraints}), else a generic one. */
    public static ApiException constraintError(String constraintName, String sqlState) {
        Map<String, ApiException> named = constraints;
        if (named == null) {
            Map<String, ApiException> all = new HashMap<>();
            for (ApiException.Constraints c : Arc.container().select(ApiException.Constraints.class)) {
                all.putAll(c.byName());
            }
            named = constraints = Map.copyOf(all);
        }
        ApiException known = constraintName == null ? null : named.get(constraintName);
        if (known != null) {
            return known;
        }
        if ("23505".equals(sqlState)) {
            return ApiException.conflict("The request conflicts with an existing record.");
        }
        if ("23503".equals(sqlState)) {
            return ApiException.conflict("The request refers to a record that does not exist.");
        }
        return new ApiException(Problem.Type.MALFORMED, "The request breaks a data rule.");
    }

    private static Response concurrentChange(String path) {
        return Problem.of(Problem.Type.CONFLICT,
                "The record was changed by someone else at the same time. Read it again and retry.", path).response();
    }

    private static Response json(JsonProcessingException e, String path) {
        return Problem.of(Problem.Type.MALFORMED, e instanceof MismatchedInputException
                ? "The request body must be a JSON object of the documented shape."
                : "The request body is not valid JSON.", path).response();
    }

    /** 500 with only a correlation id (the request's id, also on every log line of the request); the cause goes to the log. */
    private static Response internal(Throwable e, String path) {
        Object requestId = MDC.get(RequestId.MDC_KEY);
        String correlationId = requestId != null ? requestId.toString() : UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected failure, correlationId=%s", correlationId);
        return Problem.internal(path, correlationId).response();
    }

    /** {@code create.body.name} becomes {@code name}; a query parameter keeps its own name. */
    static String fieldOf(Path path) {
        List<String> names = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            } else if ((node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.BEAN) && node.getName() != null) {
                names.add(node.getName());
            }
        }
        if (!names.isEmpty()) {
            return String.join(".", names);
        }
        return parameter != null ? parameter : "body";
    }

    /** The first exception of this type in the cause chain (at most 16 deep), else null. */
    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static final Set<String> TEMPORARY_STATES = Set.of("57014", "55P03", "57P01", "57P02", "57P03", "57P04", "57P05");
    private static final Set<String> TEMPORARY_CLASSES = Set.of("08", "53");

    /**
     * The SQLState (or a short type name) when {@code e} is a temporary database failure (503 +
     * {@code Retry-After}: the client may retry), else null. By exception type and SQLState only,
     * never by message text, anywhere in the cause chain:
     * <ul>
     * <li>SQLState class 08 (connection), 53 (insufficient resources, 53300 too many
     * connections), 57014 ({@code statement_timeout}), 57P01–57P05 (shutdown, recovery, idle
     * timeouts), 55P03 ({@code lock_timeout});</li>
     * <li>{@link SQLTransientConnectionException}, {@link SQLTimeoutException} and Hibernate's
     * connection, lock-timeout and query-timeout exceptions;</li>
     * <li>the pool's acquisition timeout: Agroal throws a bare {@link SQLException} with no
     * SQLState from its own code (the driver's exceptions always carry one), with no cause or,
     * when it waited for a connection it was still opening, the wait's {@code TimeoutException};</li>
     * <li>a JTA transaction the transaction manager rolled back (its timeout ran out).</li>
     * </ul>
     */
    public static String temporaryDatabaseFailure(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (TEMPORARY_STATES.contains(state)
                        || (state.length() == 5 && TEMPORARY_CLASSES.contains(state.substring(0, 2))))) {
                    return state;
                }
                if (sql instanceof SQLTransientConnectionException || sql instanceof SQLTimeoutException) {
                    return sql.getClass().getSimpleName();
                }
                if (state == null && isPoolTimeout(sql)) {
                    return "pool acquisition timeout";
                }
            }
            if (t instanceof org.hibernate.exception.JDBCConnectionException
                    || t instanceof org.hibernate.exception.LockTimeoutException
                    || t instanceof org.hibernate.QueryTimeoutException
                    || t instanceof jakarta.persistence.QueryTimeoutException
                    || t instanceof jakarta.persistence.LockTimeoutException) {
                if (t.getCause() instanceof SQLException) {
                    continue; // the SQLState below decides
                }
                return t.getClass().getSimpleName();
            }
            if (t instanceof jakarta.transaction.RollbackException) {
                return "transaction rolled back";
            }
        }
        return null;
    }

    /** Agroal's "acquisition timeout": a plain SQLException (not a driver subclass) thrown by the pool. */
    private static boolean isPoolTimeout(SQLException e) {
        // No cause, or (waiting for a connection the pool is still opening) the wait's TimeoutException.
        if (e.getClass() != SQLException.class
                || (e.getCause() != null && !(e.getCause() instanceof java.util.concurrent.TimeoutException))) {
            return false;
        }
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("io.agroal.");
    }
}
