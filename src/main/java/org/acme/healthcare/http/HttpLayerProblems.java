package org.acme.healthcare.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.acme.healthcare.common.Problem;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Problem documents for what the HTTP layer refuses before JAX-RS sees a request: a body over
 * {@code quarkus.http.limits.max-body-size} (413, answered from {@code Content-Length} before
 * the body is read, or when a chunked body grows past the limit) and any other failure the
 * router reports without a response.
 */
@ApplicationScoped
public class HttpLayerProblems {
    private final long maxBodySize;
    private final ObjectMapper mapper;
    private final BodyHandler chunkedBodies;
    private final Instance<PathErrorBodies> otherFormats;

    HttpLayerProblems(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            ObjectMapper mapper, Instance<PathErrorBodies> otherFormats) {
        this.maxBodySize = maxBodySize.asLongValue();
        this.mapper = mapper;
        this.otherFormats = otherFormats;
        this.chunkedBodies = BodyHandler.create(false).setBodyLimit(this.maxBodySize);
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::checkDeclaredLength);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).failureHandler(this::answerFailure);
    }

    private void checkDeclaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null && ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            // A chunked body declares no length: read it here, against the limit, so that going
            // over it fails the request through answerFailure (a 413 problem), not a bare 413.
            chunkedBodies.handle(ctx);
            return;
        }
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                write(ctx, Problem.Type.MALFORMED, "The Content-Length header is not a number.", true);
                return;
            }
            if (declared > maxBodySize) {
                write(ctx, Problem.Type.PAYLOAD_TOO_LARGE, "The request body is larger than " + maxBodySize + " bytes.", true);
                return;
            }
        }
        ctx.next();
    }

    private void answerFailure(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        int status = ctx.statusCode();
        if (status == 413) {
            write(ctx, Problem.Type.PAYLOAD_TOO_LARGE, "The request body is larger than " + maxBodySize + " bytes.", true);
        } else if (status == 401) {
            write(ctx, Problem.Type.UNAUTHORIZED,
                    Problem.unauthorizedDetail(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)), false);
        } else if (status >= 400 && status < 500) {
            write(ctx, Problem.Type.forStatus(status), "The request could not be processed.", false);
        } else {
            ctx.next();
        }
    }

    private void write(RoutingContext ctx, Problem.Type type, String detail, boolean close) {
        PathErrorBodies.Body body = PathErrorBodies.render(otherFormats, mapper, ctx.request().path(), type, detail);
        var response = ctx.response().setStatusCode(type.status)
                .putHeader(HttpHeaders.CONTENT_TYPE, body.mediaType());
        if (close) {
            // The unread body would otherwise be taken for the next request on this connection.
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(body.content());
    }
}
