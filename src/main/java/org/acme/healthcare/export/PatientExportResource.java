package org.acme.healthcare.export;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.vertx.ext.web.RoutingContext;

/** {@code GET|POST /fhir/Patient/$export}: Bulk Data patient-level export: every patient the caller may read. */
@Path("/fhir/Patient/$export")
@Tag(name = FhirOpenApi.TAG)
@Produces(Fhir.MEDIA_TYPE)
// A system client's token too (SMART Backend Services): its scopes are checked per resource type here.
@RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SYSTEM })
public class PatientExportResource {
    private final ExportKickOff kickOff;

    PatientExportResource(ExportKickOff kickOff) {
        this.kickOff = kickOff;
    }

    @GET
    @Operation(summary = "FHIR Bulk Data: start a patient-level export", description = ExportDocs.KICK_OFF
            + " Patient level: the patients the caller may read, their own and their organizations' (Patient, Condition).")
    @APIResponse(responseCode = "202", description = ExportDocs.ACCEPTED, ref = FhirOpenApi.RESOURCE)
    public Response get(@Context UriInfo uri, @Context RoutingContext routing, @BeanParam ExportDocs.Query query) {
        return kickOff.kickOff(ExportRequest.PATIENT, null, uri, routing, query.prefer, null);
    }

    @POST
    @Consumes({ Fhir.MEDIA_TYPE, MediaType.APPLICATION_JSON })
    @Operation(summary = "FHIR Bulk Data: start a patient-level export (Parameters body)", description = ExportDocs.KICK_OFF_POST)
    @APIResponse(responseCode = "202", description = ExportDocs.ACCEPTED, ref = FhirOpenApi.RESOURCE)
    public Response post(@Context UriInfo uri, @Context RoutingContext routing, @BeanParam ExportDocs.Headers headers,
            @RequestBody(content = @Content(mediaType = Fhir.MEDIA_TYPE, schema = @Schema(type = SchemaType.OBJECT))) byte[] body) {
        return kickOff.kickOff(ExportRequest.PATIENT, null, uri, routing, headers.prefer, body);
    }
}
