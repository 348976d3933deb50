package org.acme.healthcare.common;

import java.sql.SQLException;

import jakarta.ws.rs.core.Response;

/**
 * What the database refused without a constraint: unreachable, too slow or out of connections
 * ({@link DatabaseFailures}: 503 + {@code Retry-After}, temporary, not a bug), or a value it
 * cannot store (SQLState class 22, a NUL character say: 400). Found by type and SQLState in a
 * cause chain only, never by message text; the catch-all asks ({@link ProblemTable#WRAPPED}).
 */
final class DatabaseFailureMapper {
    private DatabaseFailureMapper() {
    }

    static Response unavailable(String reason, String path) {
        ProblemLog.databaseUnavailable(reason);
        return ProblemResponses.unavailable(path,
                "The service cannot get an answer from its database right now. Try again shortly.");
    }

    /** The first SQLException in the chain, when it is a data exception (SQLState class 22), else null. */
    static SQLException dataException(Throwable e) {
        SQLException sql = ProblemTable.find(e, SQLException.class);
        return sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("22") ? sql : null;
    }

    static Response unstorable(SQLException e, String path) {
        return ProblemResponses.response(Problem.of(ProblemType.MALFORMED,
                "The request contains a value that cannot be stored.", path));
    }
}
