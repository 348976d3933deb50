package org.acme.healthcare.common;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.vertx.ext.web.Router;

/**
 * A request id on every response ({@code X-Request-Id}) and in every log line of that request
 * (MDC key {@code requestId}, {@code %X{requestId}} in the log format, a field of its own in
 * JSON logs). A client's id is echoed when it is sane (1 to 64 characters from
 * {@code [A-Za-z0-9._:-]}, so it cannot forge log lines or grow them without bound); otherwise
 * the service makes a UUID.
 * <p>
 * Quarkus runs each HTTP request on its own duplicated Vert.x context and its MDC
 * ({@code VertxMDC}) keeps entries in that context, so the id put here follows the request to
 * the worker thread that runs a blocking resource method, and is gone with the request.
 */
@ApplicationScoped
public class RequestId {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** Before everything else, {@link AccessTokenHeader} and authentication included. */
    static final int ORDER = -3_000;
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(ctx -> {
            String id = accept(ctx.request().getHeader(HEADER));
            MDC.put(MDC_KEY, id);
            ctx.put(MDC_KEY, id);
            ctx.response().putHeader(HEADER, id);
            ctx.next();
        });
    }

    /** The client's id when it is safe to log and echo, else a new UUID. */
    static String accept(String fromClient) {
        if (fromClient != null && SAFE.matcher(fromClient).matches()) {
            return fromClient;
        }
        return UUID.randomUUID().toString();
    }
}
