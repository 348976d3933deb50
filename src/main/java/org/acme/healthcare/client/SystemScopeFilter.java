package org.acme.healthcare.client;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.user.CurrentUser;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * What a system token may do under {@code /fhir}: read ({@code GET}) within its scopes. A read of
 * one resource ({@code /fhir/Patient/7}, its versions) needs {@code r} on its type, a search
 * ({@code /fhir/Condition?patient=7}) needs {@code s}; anything else is 403 (an OperationOutcome,
 * fhir/FhirErrors). Which records it reads is the access rule's business (patient/PatientAccess):
 * those of its client's organization. Operations ({@code $export} and the like), and an export's
 * status URL and files ({@code bulkstatus}, {@code bulkfiles}: export/), check scopes themselves.
 * Users' requests pass untouched.
 */
public class SystemScopeFilter {
    private static final String FHIR = "/fhir/";

    @Inject
    CurrentUser caller;

    @ServerRequestFilter
    public void checkScopes(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(FHIR)) {
            return;
        }
        CurrentUser.SystemCaller system = caller.systemOrNull();
        if (system == null) {
            return;
        }
        String[] segments = path.substring(FHIR.length()).split("/");
        String type = segments[0];
        if (type.equals("metadata") || type.equals(".well-known") || type.equals("bulkstatus") || type.equals("bulkfiles")
                || java.util.Arrays.stream(segments).anyMatch(s -> s.startsWith("$"))) {
            return;
        }
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            throw ApiException.forbidden("A system token only reads.");
        }
        char interaction = segments.length == 1 ? 's' : 'r';
        List<SmartScopes.Scope> scopes = SmartScopes.granted(system.scope());
        if (SmartScopes.allowing(scopes, type, interaction).isEmpty()) {
            throw ApiException.forbidden("This token's scopes do not cover " + (interaction == 's' ? "searching" : "reading")
                    + " this resource type.");
        }
    }
}
