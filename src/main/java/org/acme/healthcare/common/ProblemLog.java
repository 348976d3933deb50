package org.acme.healthcare.common;

import java.util.UUID;

import jakarta.ws.rs.core.Response;

import org.acme.healthcare.ops.RequestId;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The only place the error path writes to the log. A 500 is logged at ERROR with its stack
 * trace and a correlation id, the request's id (MDC, also on every other line of the request)
 * when there is one, which is all its response carries. A database outage is one WARN line with
 * its SQLState or type. A client error is not logged: its response says all there is to say.
 */
final class ProblemLog {
    private static final Logger LOG = Logger.getLogger(ProblemLog.class);

    private ProblemLog() {
    }

    /** 500 with only a correlation id; the cause goes to the log, never to the client. */
    static Response internal(Throwable e, String path) {
        Object requestId = MDC.get(RequestId.MDC_KEY);
        String correlationId = requestId != null ? requestId.toString() : UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected failure, correlationId=%s", correlationId);
        return ProblemResponses.response(Problem.internal(path, correlationId));
    }

    static void databaseUnavailable(String reason) {
        LOG.warnf("Database unavailable: %s", reason);
    }
}
