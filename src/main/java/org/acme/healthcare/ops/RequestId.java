package org.acme.healthcare.ops;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.vertx.ext.web.Router;

/**
 * Two ids per request. The service's own ({@code requestId}, a new UUID for every request) is
 * the one the audit trail and {@code correlationId} use and every log line of the request carries
 * (MDC key {@code requestId}, {@code %X{requestId}} in the log format, a field of its own in JSON
 * logs): a client cannot choose it, so it cannot make its requests look like someone else's.
 * A client's own {@code X-Request-Id} is kept beside it when it is sane (1 to 64 characters from
 * {@code [A-Za-z0-9._:-]}, so it cannot forge log lines or grow them without bound): MDC key
 * {@code clientRequestId}, the audit's {@code client_request_id}. The {@code X-Request-Id}
 * response header echoes the client's id when it sent a sane one (so it can match answers to its
 * own log), else it is the service's id.
 * <p>
 * Quarkus runs each HTTP request on its own duplicated Vert.x context and its MDC
 * ({@code VertxMDC}) keeps entries in that context, so the ids put here follow the request to
 * the worker thread that runs a blocking resource method, and are gone with the request.
 */
@ApplicationScoped
public class RequestId {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** The client's own X-Request-Id, when it sent a sane one. */
    public static final String CLIENT_MDC_KEY = "clientRequestId";
    /** Before everything else, {@code user/AccessTokenHeader} and authentication included. */
    static final int ORDER = -3_000;
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(ctx -> {
            String id = UUID.randomUUID().toString();
            String fromClient = clientId(ctx.request().getHeader(HEADER));
            MDC.put(MDC_KEY, id);
            ctx.put(MDC_KEY, id);
            if (fromClient != null) {
                MDC.put(CLIENT_MDC_KEY, fromClient);
                ctx.put(CLIENT_MDC_KEY, fromClient);
            }
            ctx.response().putHeader(HEADER, fromClient != null ? fromClient : id);
            ctx.next();
        });
    }

    /** The client's id when it is safe to log and echo, else null. */
    static String clientId(String fromClient) {
        return fromClient != null && SAFE.matcher(fromClient).matches() ? fromClient : null;
    }
}
