package org.acme.healthcare.common;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Which database failures are temporary (the service answers 503 + Retry-After, the client may
 * retry) rather than bugs (500). Decided by exception type and SQLState only, never by message
 * text, anywhere in the cause chain:
 * <ul>
 * <li>SQLState class 08 (connection exception), 53 (insufficient resources, 53300 too many
 * connections), 57014 (statement cancelled by {@code statement_timeout}), 57P01-57P05 (server
 * shutting down, crash recovery, idle session timeouts), 55P03 (lock not available:
 * {@code lock_timeout});</li>
 * <li>{@link SQLTransientConnectionException}, {@link SQLTimeoutException} and Hibernate's
 * connection, lock-timeout and query-timeout exceptions;</li>
 * <li>the pool's acquisition timeout: Agroal throws a bare {@link SQLException} with no
 * SQLState from its own code (the driver's exceptions always carry one);</li>
 * <li>a JTA transaction the transaction manager rolled back (its timeout ran out).</li>
 * </ul>
 */
public final class DatabaseFailures {
    private static final Set<String> STATES = Set.of("57014", "55P03", "57P01", "57P02", "57P03", "57P04", "57P05");
    private static final Set<String> CLASSES = Set.of("08", "53");

    private DatabaseFailures() {
    }

    /** The SQLState (or a short type name) when {@code e} is a temporary database failure, else null. */
    public static String temporary(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (STATES.contains(state) || (state.length() == 5 && CLASSES.contains(state.substring(0, 2))))) {
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
    static boolean isPoolTimeout(SQLException e) {
        if (e.getClass() != SQLException.class || e.getCause() != null) {
            return false;
        }
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("io.agroal.");
    }
}
