package org.acme.healthcare.common;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Headers every response gets, written just before its headers go out, so that problem
 * documents from any layer (JAX-RS, the router, authentication) carry them too:
 * <ul>
 * <li>{@code X-Content-Type-Options: nosniff} on every response;</li>
 * <li>{@code Cache-Control: no-store} on everything outside {@code /q/} (patient data, tokens and
 * accounts are in {@code /api/*}; no response there is worth a shared or browser cache);</li>
 * <li>{@code Connection: close} from the start of the shutdown delay: a keep-alive client
 * opens a fresh connection (to a replica that stays) for its next request instead of sending it
 * on a connection that is about to be closed under it.</li>
 * </ul>
 */
@ApplicationScoped
public class ResponseHeaders {
    private static final Logger LOG = Logger.getLogger(ResponseHeaders.class);
    private final AtomicBoolean draining = new AtomicBoolean();

    void install(@Observes Router router) {
        router.route().order(RequestId.ORDER - 1).handler(ctx -> {
            boolean operations = ctx.request().path().startsWith("/q/");
            ctx.addHeadersEndHandler(v -> {
                var headers = ctx.response().headers();
                headers.set("X-Content-Type-Options", "nosniff");
                if (!operations) {
                    headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
                }
                if (draining.get()) {
                    headers.set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
                }
            });
            ctx.next();
        });
    }

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        draining.set(true);
        LOG.info("Shutdown delay started: every response now carries Connection: close");
    }

    /** True from the start of the shutdown delay. */
    boolean draining() {
        return draining.get();
    }
}
