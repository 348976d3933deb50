package org.acme.healthcare.export;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.common.Roles;
import org.acme.healthcare.fhir.Fhir;
import org.acme.healthcare.fhir.FhirOpenApi;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET|POST /fhir/Group/{organizationId}/$export}: Bulk Data group-level export. A Group is
 * an organization's patients; only its members may export it (anyone else: 404, as if it did not exist).
 */
@Path("/fhir/Group/{organizationId}/$export")
@Tag(name = FhirOpenApi.TAG)
@Produces(Fhir.MEDIA_TYPE)
// A system client's token too (SMART Backend Services): its scopes are checked per resource type here.
@RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SYSTEM })
public class GroupExportResource {
    private final ExportKickOff kickOff;

    GroupExportResource(ExportKickOff kickOff) {
        this.kickOff = kickOff;
    }

    @GET
    @Operation(summary = "FHIR Bulk Data: start a group-level export", description = ExportDocs.KICK_OFF + ExportDocs.GROUP)
    @APIResponse(responseCode = "202", description = ExportDocs.ACCEPTED, ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "404", description = ExportDocs.GROUP_UNKNOWN, ref = FhirOpenApi.ERROR)
    public Response get(@PathParam("organizationId") @Parameter(description = ExportDocs.ORGANIZATION_ID,
            schema = @Schema(type = SchemaType.STRING, pattern = ExportDocs.ID_PATTERN)) String organizationId,
            @Context UriInfo uri, @Context RoutingContext routing, @BeanParam ExportDocs.Query query) {
        return kickOff.kickOff(ExportRequest.GROUP, organization(organizationId), uri, routing, query.prefer, null);
    }

    @POST
    @Consumes({ Fhir.MEDIA_TYPE, MediaType.APPLICATION_JSON })
    @Operation(summary = "FHIR Bulk Data: start a group-level export (Parameters body)", description = ExportDocs.KICK_OFF_POST
            + ExportDocs.GROUP)
    @APIResponse(responseCode = "202", description = ExportDocs.ACCEPTED, ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "404", description = ExportDocs.GROUP_UNKNOWN, ref = FhirOpenApi.ERROR)
    public Response post(@PathParam("organizationId") @Parameter(description = ExportDocs.ORGANIZATION_ID,
            schema = @Schema(type = SchemaType.STRING, pattern = ExportDocs.ID_PATTERN)) String organizationId,
            @Context UriInfo uri, @Context RoutingContext routing, @BeanParam ExportDocs.Headers headers,
            @RequestBody(content = @Content(mediaType = Fhir.MEDIA_TYPE, schema = @Schema(type = SchemaType.OBJECT))) byte[] body) {
        return kickOff.kickOff(ExportRequest.GROUP, organization(organizationId), uri, routing, headers.prefer, body);
    }

    /** A Group's id is its organization's: a positive whole number, else a 400 (an unknown one is a 404). */
    private static long organization(String id) {
        return ExportStatusResource.number(id, "The Group's id must be a positive whole number.", true);
    }
}
