package org.acme.healthcare.fhir;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A refused FHIR write body (400 or 422) as an OperationOutcome whose issues name their elements
 * under the resource type of the route ({@code Patient.identifier[0].system}). Every other refusal
 * of a FHIR write takes the one error path (common/ProblemMappers, then FhirErrors).
 */
public class FhirWriteErrors {
    @ServerExceptionMapper
    public Response invalid(FhirInvalid e, UriInfo uri) {
        return Response.status(e.status()).type(Fhir.MEDIA_TYPE).entity(e.outcome(typeOf(uri.getPath()))).build();
    }

    /** {@code /fhir/Patient/12} → {@code Patient}; the base ({@code /fhir}) → {@code Bundle}. */
    static String typeOf(String path) {
        String rest = path == null || path.length() <= FhirErrors.BASE.length() ? "" : path.substring(FhirErrors.BASE.length() + 1);
        int slash = rest.indexOf('/');
        String type = slash < 0 ? rest : rest.substring(0, slash);
        return type.isEmpty() ? "Bundle" : type;
    }
}
