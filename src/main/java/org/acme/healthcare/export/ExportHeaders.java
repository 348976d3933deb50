package org.acme.healthcare.export;

import java.net.URI;
import java.util.Locale;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.acme.healthcare.fhir.Fhir;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.vertx.ext.web.RoutingContext;

/**
 * Reads {@code %24export} as {@code $export}, and keeps a request's {@code Accept} as the client sent it, before the FHIR view's negotiation
 * ({@code FhirMedia}, which runs after this) replaces it with {@code application/fhir+json}: a
 * Bulk Data kick-off must be refused when the client did not ask for FHIR JSON, and the export's
 * routes answer FHIR JSON under the name the client asked for (below).
 */
public class ExportHeaders {
    static final String ORIGINAL_ACCEPT = "healthcare.export.accept";

    @ServerRequestFilter(preMatching = true, priority = Priorities.USER - 1)
    public void remember(ContainerRequestContext request, RoutingContext routing) {
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        routing.put(ORIGINAL_ACCEPT, accept == null ? "" : accept);
        request.setProperty(ORIGINAL_ACCEPT, accept == null ? "" : accept);
        // Routes are matched on the raw path: $export sent percent-encoded (%24export, as many HTTP
        // clients write it) names the same operation.
        String uri = request.getUriInfo().getRequestUri().toString();
        if (uri.contains("/fhir") && uri.contains("%24export")) {
            request.setRequestUri(URI.create(uri.replace("%24export", "$export")));
        }
    }

    /**
     * Bulk Data clients SHOULD ask the status URL for {@code application/json} (Bulk Data 2.0,
     * "Bulk Data Status Request"), and FHIR names {@code application/json} as FHIR JSON too: on the
     * export's routes an OperationOutcome (an error, a cancel's 202) goes out as
     * {@code application/json} when the client prefers that name to {@code application/fhir+json}.
     * The same bytes either way. Runs after {@code FhirErrors} (response filters run from the
     * highest priority down), which has made an error's OperationOutcome by then.
     */
    @ServerResponseFilter(priority = Priorities.USER - 100)
    public void jsonAsAsked(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof IBaseResource && isExportPath(request.getUriInfo().getPath())
                && response.getMediaType() != null && Fhir.MEDIA_TYPE.equals(response.getMediaType().toString().split(";")[0])
                && prefersPlainJson((String) request.getProperty(ORIGINAL_ACCEPT))) {
            response.setEntity(response.getEntity(), response.getEntityAnnotations(), MediaType.APPLICATION_JSON_TYPE);
        }
    }

    /** A kick-off (any level), a status URL or a file. */
    static boolean isExportPath(String path) {
        return path != null && path.startsWith("/fhir/") && (path.endsWith("/$export") || path.startsWith(ExportKickOff.STATUS_PATH)
                || path.startsWith(ExportFileResource.PATH));
    }

    /** Whether {@code application/json} is named and ranked above every name of FHIR JSON (a tie goes to FHIR's own). */
    static boolean prefersPlainJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        double plain = -1;
        double fhir = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip().toLowerCase(Locale.ROOT).replace(" ", "");
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (type.equals(MediaType.APPLICATION_JSON)) {
                plain = Math.max(plain, q);
            } else if (type.equals(Fhir.MEDIA_TYPE) || type.equals("application/json+fhir")) {
                fhir = Math.max(fhir, q);
            }
        }
        return plain > 0 && plain > fhir;
    }

    static String originalAccept(RoutingContext routing) {
        Object accept = routing.get(ORIGINAL_ACCEPT);
        return accept == null ? null : accept.toString();
    }
}
