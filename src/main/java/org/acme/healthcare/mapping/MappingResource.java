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
import org.acme.healthcare.patient.PatientAccess;
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
    @Operation(summary = "Assign a doctor to a patient", description = "The caller must be allowed to change the patient:"
            + " its owner, or an admin or clinician of its organization (a reader, or a restricted record's other members: 403)."
            + " No `Location`: `/api/mappings/{x}` names a patient's doctors.")
    @APIResponse(responseCode = "201", description = "The mapping",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MappingResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member who may not change the patient")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = "No such patient the caller may see, or no such doctor")
    @APIResponse(responseCode = "409", ref = ApiApplication.CONFLICT, description = "The doctor is already assigned to the patient")
    public Response create(@NotNull @Valid MappingRequest body) {
        return Response.status(Response.Status.CREATED).entity(MappingResponse.from(mappings.create(caller.id(), caller.isAdmin(), body))).build();
    }

    @GET
    @Operation(summary = "List mappings", description = "The mappings of the patients the caller may list (its personal ones"
            + " and its organizations'; an admin sees all but the restricted records it would need break-glass for), oldest"
            + " first. Paging metadata is in `X-Total-Count` and `Link`.")
    @APIResponse(responseCode = "200", description = "A page of mappings",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = MappingResponse.class)))
    public Response list(@Valid @BeanParam PageParams page, @Context UriInfo uri) {
        PatientAccess.Scope scope = caller.isAdmin() ? new PatientAccess.Scope.Everyone() : new PatientAccess.Scope.Mine();
        var items = mappings.list(scope, caller.id(), page).stream().map(MappingResponse::from).toList();
        return Paged.response(items, Mapping.count(scope, caller.id()), page, uri);
    }

    @GET
    @Path("/{patientId}")
    @Operation(summary = "Doctors of a patient", description = "Each doctor with `mappingId` and `assignedAt`. Read"
            + " like the patient's record: another user's or organization's patient is 404, a restricted one needs break-glass"
            + " (403); an admin may read any that is not restricted.")
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
    @Operation(summary = "Remove an assignment", description = "A change of its patient: a mapping of a patient the caller"
            + " may not see is 404; one of a patient it may only read is 403.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member who may not change the patient")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    public Response delete(@PathParam("id") @Min(1) long id) {
        mappings.delete(id, caller.id(), caller.isAdmin());
        return Response.noContent().build();
    }
}
