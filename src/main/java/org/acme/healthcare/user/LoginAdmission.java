package org.acme.healthcare.user;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.acme.healthcare.common.Problem;
import org.acme.healthcare.ops.MetricTags;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Admission of logins, on the event loop, before anything else of the request runs. A login is
 * admitted while fewer than {@link PasswordHasher#loginCapacity(AccountsConfig)} are in flight (hashing or
 * waiting for a hash; that capacity is what the hashing threads get through within a few
 * seconds), and holds its place until its answer is sent or its connection closes. A login
 * beyond it is answered 503 + {@code Retry-After} here and then: no worker thread, no database
 * connection, no JSON binding or validation, no throttle slot. So a refusal costs ~0.2 ms of
 * CPU, HTTP included (bench/results/2026-12-06-login-shedding.md), and the reads, writes and
 * health probes keep their threads.
 * <p>
 * Only the email is read from a refused login's body (a streaming scan of at most
 * {@value #MAX_SCANNED_BODY} bytes), because every login, shed ones included, is audited with
 * its normalised email; the audit event is queued without waiting (the writer batches it).
 */
@ApplicationScoped
public class LoginAdmission {
    private static final Logger LOG = Logger.getLogger(LoginAdmission.class);
    static final String PATH = "/api/auth/login";
    /** After the request id and the response headers (-3,000 and below), before authentication and body handling. */
    static final int ORDER = AccessTokenHeader.ORDER - 100;
    /** A login body is an email (254) and a password (72 bytes) in JSON; beyond this, a refused login's email is not read. */
    static final int MAX_SCANNED_BODY = 4_096;
    static final String BUSY = "The service is busy signing people in. Try again shortly.";
    private static final JsonFactory JSON = new JsonFactory();

    private final Gate gate;
    private final SecurityEvents events;
    private final Counter shed;
    private final Buffer shedBody;

    LoginAdmission(AccountsConfig config, SecurityEvents events, MeterRegistry registry, ObjectMapper mapper) throws IOException {
        this.gate = new Gate(PasswordHasher.loginCapacity(config));
        this.events = events;
        this.shed = Counter.builder("healthcare.logins").description("Login attempts by outcome")
                .tag("outcome", "shed").register(registry);
        Gauge.builder("healthcare.logins.in.flight", gate, Gate::inFlight)
                .description("Logins admitted and not yet answered (hashing or waiting for a hash)").register(registry);
        // The same document for every refusal: its instance is the route's own path.
        this.shedBody = Buffer.buffer(mapper.writeValueAsBytes(Problem.of(Problem.Type.SERVICE_UNAVAILABLE, BUSY, PATH)));
        LOG.infof("Logins admitted at once: %d", gate.capacity());
    }

    void install(@Observes Router router) {
        router.post(PATH).order(ORDER).handler(this::admit);
    }

    private void admit(RoutingContext ctx) {
        Gate.Permit permit = gate.tryEnter();
        if (permit != null) {
            // Released once, whichever comes first: the answer is sent, or the connection closes.
            // Quarkus' request-done handlers see both, whatever handlers the REST layer sets on
            // the response later; the routing context's end handlers are a second path to the same.
            QuarkusRequestWrapper quarkusRequest = QuarkusRequestWrapper.get(ctx.request());
            if (quarkusRequest != null) {
                quarkusRequest.addRequestDoneHandler(done -> permit.release());
            }
            ctx.addEndHandler(ended -> permit.release());
            ctx.next();
            return;
        }
        shed.increment();
        Context context = Vertx.currentContext();
        if (context != null) {
            context.putLocal(MetricTags.URL_PATH_TEMPLATE, PATH);
        }
        if (ctx.body() != null && ctx.body().available()) {
            // A body handler of the router already read it.
            refuse(ctx, emailOf(ctx.body().buffer()), false);
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared = parseLength(length);
        if (declared < 0 || declared > MAX_SCANNED_BODY) {
            // No length, a chunked or an oversized body: not read. The connection closes after the
            // answer, so the unread body is never taken for the next request on it.
            refuse(ctx, null, true);
            return;
        }
        // handler and endHandler, not body(): Quarkus' request wrapper resumes the paused request
        // when they are set (body() would wait on a paused request for ever).
        Buffer body = Buffer.buffer((int) declared);
        ctx.request().handler(chunk -> {
            if (body.length() + chunk.length() <= MAX_SCANNED_BODY) {
                body.appendBuffer(chunk);
            }
        });
        ctx.request().endHandler(end -> refuse(ctx, emailOf(body), false));
    }

    private void refuse(RoutingContext ctx, String email, boolean close) {
        events.loginShed(ctx, email);
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        var response = ctx.response().setStatusCode(503)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(Problem.RETRY_AFTER_SECONDS));
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        response.end(shedBody);
    }

    private static long parseLength(String length) {
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The normalised email of a login body, by a streaming scan of its top-level {@code email}
     * field, or null when there is none that the login itself would accept (as {@link LoginRequest} checks it).
     */
    static String emailOf(Buffer body) {
        if (body == null || body.length() == 0 || body.length() > MAX_SCANNED_BODY) {
            return null;
        }
        try (JsonParser p = JSON.createParser(body.getBytes())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                boolean email = "email".equals(p.currentName());
                JsonToken value = p.nextToken();
                if (email) {
                    if (value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    String normalized = Emails.normalize(p.getText());
                    return normalized != null && !normalized.isBlank() && normalized.length() <= 254
                            && Emails.isVisible(normalized) ? normalized : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Logins in flight now (the metric; tests). */
    int inFlight() {
        return gate.inFlight();
    }

    int capacity() {
        return gate.capacity();
    }

    /**
     * A counter of places with a fixed capacity: {@link #tryEnter} takes one or refuses at once,
     * never waits; each {@link Permit} gives its place back once, however often and from however
     * many threads it is released. So the count is never negative and never above the capacity.
     */
    static final class Gate {
        private final int capacity;
        private final AtomicInteger inFlight = new AtomicInteger();

        Gate(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity " + capacity);
            }
            this.capacity = capacity;
        }

        /** A place, or null when all are taken. */
        Permit tryEnter() {
            while (true) {
                int n = inFlight.get();
                if (n >= capacity) {
                    return null;
                }
                if (inFlight.compareAndSet(n, n + 1)) {
                    return new Permit();
                }
            }
        }

        int inFlight() {
            return inFlight.get();
        }

        int capacity() {
            return capacity;
        }

        final class Permit {
            private final AtomicBoolean released = new AtomicBoolean();

            /** Gives the place back; only the first call counts. */
            void release() {
                if (released.compareAndSet(false, true)) {
                    inFlight.decrementAndGet();
                }
            }
        }
    }
}
