package org.acme.healthcare.export;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.ext.web.RoutingContext;

/**
 * Keeps a request's {@code Accept} as the client sent it, before the FHIR view's negotiation
 * ({@code FhirMedia}, which runs after this) replaces it with {@code application/fhir+json}: a
 * Bulk Data kick-off must be refused when the client did not ask for FHIR JSON.
 */
public class ExportHeaders {
    static final String ORIGINAL_ACCEPT = "healthcare.export.accept";

    @ServerRequestFilter(preMatching = true, priority = Priorities.USER - 1)
    public void remember(ContainerRequestContext request, RoutingContext routing) {
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        routing.put(ORIGINAL_ACCEPT, accept == null ? "" : accept);
    }

    static String originalAccept(RoutingContext routing) {
        Object accept = routing.get(ORIGINAL_ACCEPT);
        return accept == null ? null : accept.toString();
    }
}
