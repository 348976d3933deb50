package org.acme.healthcare.fhir;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Problem;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * JSON only, as FHIR clients ask for it: {@code _format} (which overrides {@code Accept}) may be
 * {@code json}, {@code application/json} or {@code application/fhir+json}; {@code Accept} may
 * name any JSON type or a wildcard. Whatever the client accepted, the answer is
 * {@code application/fhir+json}. A request for XML (or any other format) is a 406. NDJSON is
 * left to the one route that produces it (a bulk export's files).
 */
public class FhirMedia {
    private static final Set<String> JSON = Set.of("json", "application/json", "application/fhir+json",
            "application/json+fhir", "*/*", "application/*");

    @ServerRequestFilter(preMatching = true)
    public void negotiate(ContainerRequestContext request) {
        if (!FhirErrors.isFhirPath(request.getUriInfo().getRequestUri().getRawPath())) {
            return;
        }
        List<String> format = request.getUriInfo().getQueryParameters().get("_format");
        boolean json;
        if (format != null && !format.isEmpty()) {
            json = format.size() == 1 && JSON.contains(base(format.get(0))) && !format.get(0).contains("*");
        } else {
            String accept = request.getHeaderString(HttpHeaders.ACCEPT);
            if (accept != null && acceptsNdjson(accept)) {
                // A bulk export's file (application/fhir+ndjson): left to the route, which alone produces it
                // (anywhere else JAX-RS answers 406, as for any type this server does not produce).
                return;
            }
            json = accept == null || accept.isBlank() || acceptsJson(accept);
        }
        if (!json) {
            throw new ApiException(Problem.Type.NOT_ACCEPTABLE, "This FHIR server answers application/fhir+json only.");
        }
        request.getHeaders().putSingle(HttpHeaders.ACCEPT, Fhir.MEDIA_TYPE);
    }

    /** Bulk Data's NDJSON, in the spellings its {@code _outputFormat} knows. */
    private static final Set<String> NDJSON = Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");

    static boolean acceptsNdjson(String accept) {
        for (String range : accept.split(",")) {
            if (NDJSON.contains(base(range))) {
                return true;
            }
        }
        return false;
    }

    static boolean acceptsJson(String accept) {
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip().toLowerCase(Locale.ROOT).replace(" ", "");
                refused |= p.equals("q=0") || p.matches("q=0\\.0*");
            }
            if (!refused && JSON.contains(base(parts[0]))) {
                return true;
            }
        }
        return false;
    }

    private static String base(String mediaType) {
        int semi = mediaType.indexOf(';');
        return (semi < 0 ? mediaType : mediaType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }
}
