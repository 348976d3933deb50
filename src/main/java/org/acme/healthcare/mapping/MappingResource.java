package org.acme.healthcare.mapping;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.Paged;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.openapi.ApiApplication;
import org.acme.healthcare.user.CurrentUser;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/mappings")
@Tag(name = "Mappings", description = "Doctors assigned to patients")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class MappingResource {
    @Inject
    MappingService mappings;

    @Inject
    CurrentUser caller;

    @POST
    @Operation(summary = "Assign a doctor to a patient", description = "The patient must be the caller's. No `Location`:"
            + " `/api/mappings/{x}` names a patient's doctors.")
    @APIResponse(responseCode = "201", description = "The mapping",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MappingResponse.class)))
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = "No such patient of the caller's, or no such doctor")
    @APIResponse(responseCode = "409", ref = ApiApplication.CONFLICT, description = "The doctor is already assigned to the patient")
    public Response create(@NotNull @Valid MappingRequest body) {
        return Response.status(Response.Status.CREATED).entity(MappingResponse.from(mappings.create(caller.id(), body))).build();
    }

    @GET
    @Operation(summary = "List mappings", description = "The mappings of the caller's patients (an admin sees all), oldest"
            + " first. Paging metadata is in `X-Total-Count` and `Link`.")
    @APIResponse(responseCode = "200", description = "A page of mappings",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = MappingResponse.class)))
    public Response list(@Valid @BeanParam PageParams page, @Context UriInfo uri) {
        Long owner = caller.isAdmin() ? null : caller.id();
        var items = mappings.list(owner, page).stream().map(MappingResponse::from).toList();
        return Paged.response(items, Mapping.count(owner), page, uri);
    }

    @GET
    @Path("/{patientId}")
    @Operation(summary = "Doctors of a patient", description = "Each doctor with `mappingId` and `assignedAt`. Another"
            + " user's patient is 404; an admin may read any.")
    @APIResponse(responseCode = "200", description = "A page of the patient's doctors",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = AssignedDoctorResponse.class)))
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    public Response doctorsOfPatient(@PathParam("patientId") @Min(1) long patientId, @Valid @BeanParam PageParams page,
            @Context UriInfo uri) {
        var items = mappings.doctorsOf(patientId, caller.id(), caller.isAdmin(), page).stream()
                .map(AssignedDoctorResponse::from).toList();
        return Paged.response(items, Mapping.countOfPatient(patientId), page, uri);
    }

    @GET
    @Path("/patient/{patientId}")
    @Operation(summary = "Doctors of a patient (alias)", description = "Same as GET /api/mappings/{patientId}.")
    @APIResponse(responseCode = "200", description = "A page of the patient's doctors",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = AssignedDoctorResponse.class)))
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    public Response doctorsOfPatientAlias(@PathParam("patientId") @Min(1) long patientId, @Valid @BeanParam PageParams page,
            @Context UriInfo uri) {
        return doctorsOfPatient(patientId, page, uri);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove an assignment", description = "A mapping of another user's patient is 404.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    public Response delete(@PathParam("id") @Min(1) long id) {
        mappings.delete(id, caller.id());
        return Response.noContent().build();
    }
}
