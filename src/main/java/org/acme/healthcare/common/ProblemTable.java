package org.acme.healthcare.common;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.ws.rs.core.Response;

/**
 * The one table of the error path: what each exception family is to a client. Each family has
 * its own small mapper; this table holds what they share.
 * <ul>
 * <li>{@link #WRAPPED}: an exception often arrives wrapped (by a transaction, Hibernate, a CDI
 * interceptor), so the catch-all looks for these families anywhere in the cause chain, in this
 * order; the first found decides (a rolled-back transaction caused by a concurrent change is a
 * 409, not a 503);</li>
 * <li>{@link #DETAILS}: the detail for a status the framework answered itself.</li>
 * </ul>
 * A client never sees an exception's own message, only these texts and the ones an
 * {@link ApiException} was written with.
 */
final class ProblemTable {
    private ProblemTable() {
    }

    /** A family of exceptions: how to find one in a cause chain, and its answer. */
    record Family<T>(Function<Throwable, T> find, BiFunction<T, String, Response> answer) {
        /** The answer when this family is in {@code e}'s cause chain, else null. */
        Response answer(Throwable e, String path) {
            T found = find.apply(e);
            return found == null ? null : answer.apply(found, path);
        }
    }

    static final List<Family<?>> WRAPPED = List.of(
            new Family<>(e -> find(e, ApiException.class), ApiExceptionMapper::response),
            new Family<>(ConcurrentChangeMapper::find, ConcurrentChangeMapper::response),
            new Family<>(e -> find(e, org.hibernate.exception.ConstraintViolationException.class),
                    DatabaseConstraintMapper::response),
            new Family<>(DatabaseFailures::temporary, DatabaseFailureMapper::unavailable),
            new Family<>(DatabaseFailureMapper::dataException, DatabaseFailureMapper::unstorable));

    static final Map<ProblemType, String> DETAILS = Map.of(
            ProblemType.NOT_FOUND, "No resource exists at this path.",
            ProblemType.METHOD_NOT_ALLOWED, "This path does not support the request method.",
            ProblemType.UNSUPPORTED_MEDIA_TYPE, "The request body must be application/json.",
            ProblemType.NOT_ACCEPTABLE, "The service answers application/json only.",
            ProblemType.UNAUTHORIZED, "A valid bearer token is required.",
            ProblemType.FORBIDDEN, "You are not allowed to do this.",
            ProblemType.PAYLOAD_TOO_LARGE, "The request body is too large.");

    static final String DEFAULT_DETAIL = "The request could not be processed.";

    static String detail(ProblemType type) {
        return DETAILS.getOrDefault(type, DEFAULT_DETAIL);
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
}
