package org.acme.healthcare.common;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.arc.Arc;

/**
 * The database constraints are the backstop behind validation. When one fires (a race two
 * requests ran at once, say), its name says which client error it is; never a 500. Each feature
 * names its own tables' constraints with a {@link Named} bean (a producer field beside the code
 * that writes those tables); a constraint no feature names is a generic 409 or 400.
 */
public final class DatabaseConstraints {
    private static volatile Map<String, ApiException> byName;

    /** A feature's constraint names and the client error each one is. */
    public record Named(Map<String, ApiException> byName) {
    }

    private DatabaseConstraints() {
    }

    public static ApiException toApiException(String constraintName, String sqlState) {
        if (constraintName != null) {
            ApiException known = byName().get(constraintName);
            if (known != null) {
                return known;
            }
        }
        if ("23505".equals(sqlState)) {
            return ApiException.conflict("The request conflicts with an existing record.");
        }
        if ("23503".equals(sqlState)) {
            return ApiException.conflict("The request refers to a record that does not exist.");
        }
        return new ApiException(ProblemType.MALFORMED, "The request breaks a data rule.");
    }

    private static Map<String, ApiException> byName() {
        Map<String, ApiException> all = byName;
        if (all == null) {
            Map<String, ApiException> collected = new HashMap<>();
            for (Named named : Arc.container().select(Named.class)) {
                collected.putAll(named.byName());
            }
            all = Map.copyOf(collected);
            byName = all;
        }
        return all;
    }
}
