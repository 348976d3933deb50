package org.acme.healthcare.fhir;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.common.Roles;
import org.acme.healthcare.organization.Organization;
import org.acme.healthcare.organization.OrganizationService;
import org.acme.healthcare.user.CurrentUser;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** FHIR {@code Organization} (US Core): a clinic, to its members only, as {@code GET /api/organizations/{id}}. */
@Path("/fhir/Organization")
@Tag(name = FhirOpenApi.TAG)
@Produces(Fhir.MEDIA_TYPE)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class FhirOrganizationResource {
    private final OrganizationService organizations;
    private final CurrentUser caller;

    FhirOrganizationResource(OrganizationService organizations, CurrentUser caller) {
        this.organizations = organizations;
        this.caller = caller;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "FHIR: read an Organization", description = "An organization the caller belongs to, with"
            + " `ETag: W/\"<version>\"`. Any other (platform admins included) is 404, as if it did not exist.")
    @APIResponse(responseCode = "200", description = "The Organization", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "404", description = "No such organization, or one the caller does not belong to")
    public Response read(@PathParam("id") @Parameter(description = "The organization's id",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[1-9][0-9]{0,18}$")) String id, @Context UriInfo uri) {
        FhirSearch.read(uri);
        Organization o = organizations.read(FhirSearch.id(id), caller.id()).organization();
        return FhirResponses.read(FhirMapper.organization(o), o.version);
    }
}
