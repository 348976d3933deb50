package org.acme.healthcare.http;

import java.util.UUID;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import org.acme.healthcare.common.Problem;
import org.acme.healthcare.ops.MetricTags;
import org.acme.healthcare.ops.RequestId;
import org.acme.healthcare.ops.ResponseHeaders;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.quarkus.vertx.VertxOptionsCustomizer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.core.tracing.TracingPolicy;

/**
 * Problem documents for what the HTTP codec refuses while it parses a request head, before any
 * route runs: a request line over {@code quarkus.http.limits.max-initial-line-length} (414),
 * headers over {@code max-header-size} (431), and a malformed request line, header or
 * {@code Content-Length} (400). Vert.x would answer these with an empty body, or close the
 * connection without an answer.
 * <p>
 * Vert.x hands such a request to {@code HttpServer.invalidRequestHandler}, but Quarkus 3.34
 * creates and starts the server itself and offers no way to set that handler. What Quarkus does
 * offer is the Vert.x options ({@link VertxOptionsCustomizer}), and Vert.x tells the tracer of
 * those options about every request, invalid ones included, just before it picks the handler.
 * So this tracer traces nothing: on a request the codec failed, it sets this class's handler as
 * the invalid-request handler of that connection (Vert.x's {@code HttpServerConnection}) and
 * Vert.x then calls it instead of its default. Every other request costs one check.
 * Should another tracer (OpenTelemetry) ever be configured, it is kept and this one is not
 * installed: the codec's refusals go back to empty bodies, and a warning says so at start-up.
 */
@Singleton
public class HttpCodecProblems implements VertxOptionsCustomizer {
    private static final Logger LOG = Logger.getLogger(HttpCodecProblems.class);
    /** The request Netty makes up when it could not read a request line at all. */
    private static final String NETTY_INVALID_URI = "/bad-request";

    // Looked up when a request needs them: this bean is created with Vert.x, before most others.
    private final Instance<ObjectMapper> mapper;
    private final Instance<ResponseHeaders> headers;
    private final Instance<PathErrorBodies> otherFormats;

    HttpCodecProblems(Instance<ObjectMapper> mapper, Instance<ResponseHeaders> headers, Instance<PathErrorBodies> otherFormats) {
        this.mapper = mapper;
        this.headers = headers;
        this.otherFormats = otherFormats;
    }

    @Override
    public void accept(VertxOptions options) {
        TracingOptions tracing = options.getTracingOptions();
        if (tracing != null && tracing.getFactory() != null) {
            LOG.warn("A Vert.x tracer is configured: requests the HTTP codec refuses get empty bodies, not problem documents");
            return;
        }
        options.setTracingOptions(new TracingOptions().setFactory(ignored -> new InvalidRequestTracer(this)));
    }

    /** Answers a request the codec could not read: a problem document, then the connection closes. */
    void answer(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        Problem.Type type = Problem.Type.MALFORMED;
        String detail = "The request line or a header is malformed.";
        if (cause instanceof TooLongFrameException && cause.getMessage() != null) {
            if (cause.getMessage().startsWith("An HTTP line is larger than")) {
                type = Problem.Type.URI_TOO_LONG;
                detail = type.detail;
            } else if (cause.getMessage().startsWith("HTTP header is larger than")) {
                type = Problem.Type.HEADER_FIELDS_TOO_LARGE;
                detail = type.detail;
            }
        } else if (cause != null && request.uri() != null && !NETTY_INVALID_URI.equals(request.uri())
                && request.getHeader(HttpHeaders.CONTENT_LENGTH) != null) {
            detail = "The request line or a header is malformed (a Content-Length must be one number).";
        }
        // Netty's stand-in for an unreadable request line has no path of the client's.
        String path = NETTY_INVALID_URI.equals(request.uri()) ? null : request.path();
        Context context = Vertx.currentContext();
        if (context != null) {
            // One metric label for all of these, never the client's path.
            context.putLocal(MetricTags.URL_PATH_TEMPLATE, MetricTags.UNMATCHED);
        }
        PathErrorBodies.Body body = PathErrorBodies.render(otherFormats, mapper.get(), path, type, detail);
        var response = request.response();
        headers.get().addSecurityHeaders(response.headers());
        response.setStatusCode(type.status)
                .putHeader(HttpHeaders.CONTENT_TYPE, body.mediaType())
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader(RequestId.HEADER, UUID.randomUUID().toString())
                // The codec reads nothing more from this connection.
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        response.end(body.content()).onComplete(done -> request.connection().close());
    }

    /** Traces nothing; points a connection whose request the codec failed at {@link #answer}. */
    static final class InvalidRequestTracer implements VertxTracer<Object, Object> {
        private final HttpCodecProblems problems;

        InvalidRequestTracer(HttpCodecProblems problems) {
            this.problems = problems;
        }

        @Override
        public <R> Object receiveRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
                Iterable<java.util.Map.Entry<String, String>> headers, TagExtractor<R> tagExtractor) {
            if (request instanceof HttpServerRequest http && http.decoderResult() != null && http.decoderResult().isFailure()
                    && http.connection() instanceof HttpServerConnection connection) {
                connection.invalidRequestHandler(problems::answer);
            }
            return null;
        }
    }
}
