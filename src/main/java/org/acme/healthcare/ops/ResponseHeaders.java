package org.acme.healthcare.ops;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Headers every response gets, written just before its headers go out, so that problem
 * documents from any layer (JAX-RS, the router, authentication) carry them too;
 * {@code http/HttpCodecProblems} adds the same to what the HTTP codec refuses:
 * <ul>
 * <li>{@code X-Content-Type-Options: nosniff} on every response;</li>
 * <li>{@code X-Frame-Options: DENY} and {@code Content-Security-Policy: frame-ancestors 'none'}
 * on every response: no page of another origin may frame the API or its Swagger UI
 * (clickjacking); Swagger UI itself is a page, not a frame, so it is not affected;</li>
 * <li>{@code Strict-Transport-Security} when {@code HEALTHCARE_HSTS} is on (production);</li>
 * <li>{@code Cache-Control: no-store} on everything outside {@code /q/} (patient data, tokens and
 * accounts are in {@code /api/*}; no response there is worth a shared or browser cache);</li>
 * <li>one {@code WWW-Authenticate} challenge: a refused token gets one from SmallRye JWT's
 * mechanism and one from the problem mapper, which are the same; one is kept;</li>
 * <li>{@code Connection: close} from the start of the shutdown delay: a keep-alive client
 * opens a fresh connection (to a replica that stays) for its next request instead of sending it
 * on a connection that is about to be closed under it.</li>
 * </ul>
 * Written here rather than with {@code quarkus.http.header.*}: one place for every response,
 * the codec's refusals included, and HSTS switched by one boolean.
 */
@ApplicationScoped
public class ResponseHeaders {
    private static final Logger LOG = Logger.getLogger(ResponseHeaders.class);
    static final String HSTS = "max-age=31536000; includeSubDomains";
    private final AtomicBoolean draining = new AtomicBoolean();
    private final boolean hsts;

    ResponseHeaders(OperationsConfig config) {
        this.hsts = config.hsts();
    }

    void install(@Observes Router router) {
        router.route().order(RequestId.ORDER - 1).handler(ctx -> {
            boolean operations = ctx.request().path().startsWith("/q/");
            ctx.addHeadersEndHandler(v -> {
                var headers = ctx.response().headers();
                addSecurityHeaders(headers);
                if (!operations) {
                    headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
                }
                List<String> challenges = headers.getAll("WWW-Authenticate");
                if (challenges.size() > 1) {
                    headers.set("WWW-Authenticate", challenges.get(0));
                }
                if (draining.get()) {
                    headers.set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
                }
            });
            ctx.next();
        });
    }

    /** The headers every answer carries, whoever writes it. */
    public void addSecurityHeaders(MultiMap headers) {
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Content-Security-Policy", "frame-ancestors 'none'");
        if (hsts) {
            headers.set("Strict-Transport-Security", HSTS);
        }
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
