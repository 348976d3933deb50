package org.acme.healthcare.patient;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.common.CurrentUser;
import org.acme.healthcare.common.OpenApiDocs;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.Paged;
import org.acme.healthcare.common.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/patients/{id}/history")
@Tag(name = "Patients")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class PatientHistoryResource {
    @Inject
    PatientHistory history;

    @Inject
    CurrentUser caller;

    @GET
    @Operation(summary = "Read a patient's history", description = "Every revision of the record, newest first; it"
            + " outlives a delete (the newest revision is then the `delete`). Owner or admin; another user's history is"
            + " 404. Read like the record itself: audited as a read. Paging metadata is in `X-Total-Count` and `Link`.")
    @APIResponse(responseCode = "200", description = "A page of revisions",
            headers = { @Header(ref = OpenApiDocs.TOTAL_COUNT_HEADER), @Header(ref = OpenApiDocs.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = PatientRevisionResponse.class)))
    @APIResponse(responseCode = "400", ref = OpenApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = OpenApiDocs.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = OpenApiDocs.NOT_FOUND, description = "No such record, another user's, or erased")
    public Response list(@PathParam("id") @Min(1) long id, @Valid @BeanParam PageParams page, @Context UriInfo uri) {
        PatientHistory.Page revisions = history.list(id, caller.id(), caller.isAdmin(), page);
        return Paged.response(revisions.items(), revisions.total(), page, uri);
    }

    @GET
    @Path("/{version}")
    @Operation(summary = "Read one version of a patient", description = "The revision that made the record's"
            + " `version` this number; a delete is the version after the one it deleted. Owner or admin.")
    @APIResponse(responseCode = "200", description = "The revision",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PatientRevisionResponse.class)))
    @APIResponse(responseCode = "400", ref = OpenApiDocs.BAD_REQUEST, description = "The version is not a number of 0 or more")
    @APIResponse(responseCode = "401", ref = OpenApiDocs.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = OpenApiDocs.NOT_FOUND, description = "No such record or version, another user's, or erased")
    public PatientRevisionResponse version(@PathParam("id") @Min(1) long id, @PathParam("version") @Min(0) long version) {
        return history.version(id, version, caller.id(), caller.isAdmin());
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Erase a patient record and its history", description = "For an erasure request: deletes the"
            + " record if it still exists (with its doctor assignments, each audited as a delete) and every revision of"
            + " it; afterwards the record and its history are 404 for everyone. The audit trail keeps its events (ids"
            + " only) and records the erasure as a `purge`, without content. Admin only.")
    @APIResponse(responseCode = "204", description = "Erased")
    @APIResponse(responseCode = "400", ref = OpenApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = OpenApiDocs.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = OpenApiDocs.FORBIDDEN, description = "Not an admin")
    @APIResponse(responseCode = "404", ref = OpenApiDocs.NOT_FOUND, description = "No record and no history with this id")
    public Response erase(@PathParam("id") @Min(1) long id) {
        history.erase(id);
        return Response.noContent().build();
    }
}
