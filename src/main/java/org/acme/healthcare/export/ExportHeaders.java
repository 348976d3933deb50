package org.acme.healthcare.export;

import java.net.URI;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.ext.web.RoutingContext;

/**
 * Reads {@code %24export} as {@code $export}, and keeps a request's {@code Accept} as the client sent it, before the FHIR view's negotiation
 * ({@code FhirMedia}, which runs after this) replaces it with {@code application/fhir+json}: a
 * Bulk Data kick-off must be refused when the client did not ask for FHIR JSON.
 */
public class ExportHeaders {
    static final String ORIGINAL_ACCEPT = "healthcare.export.accept";

    @ServerRequestFilter(preMatching = true, priority = Priorities.USER - 1)
    public void remember(ContainerRequestContext request, RoutingContext routing) {
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        routing.put(ORIGINAL_ACCEPT, accept == null ? "" : accept);
        // Routes are matched on the raw path: $export sent percent-encoded (%24export, as many HTTP
        // clients write it) names the same operation.
        String uri = request.getUriInfo().getRequestUri().toString();
        if (uri.contains("/fhir") && uri.contains("%24export")) {
            request.setRequestUri(URI.create(uri.replace("%24export", "$export")));
        }
    }

    static String originalAccept(RoutingContext routing) {
        Object accept = routing.get(ORIGINAL_ACCEPT);
        return accept == null ? null : accept.toString();
    }
}
