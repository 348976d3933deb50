package org.acme.healthcare.doctor;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.validation.groups.ConvertGroup;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Etags;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.Paged;
import org.acme.healthcare.ops.PublicUrl;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.json.RequestBodies.Patch.OnCreate;
import org.acme.healthcare.json.RequestBodies.Patch.OnUpdate;
import org.acme.healthcare.openapi.ApiApplication;
import org.acme.healthcare.user.CurrentUser;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/doctors")
@Tag(name = "Doctors", description = "One shared directory of doctors")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class DoctorResource {
    @Inject
    DoctorService doctors;

    @Inject
    CurrentUser caller;

    @Inject
    DoctorDirectory directory;

    @POST
    @Operation(summary = "Add a doctor", description = "`createdBy` is the caller.")
    @APIResponse(responseCode = "201", description = "Created; `Location` names the new doctor",
            headers = @Header(ref = ApiApplication.ETAG_HEADER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DoctorResponse.class)))
    public Response create(@NotNull @Valid @ConvertGroup(to = OnCreate.class) DoctorRequest body, @Context UriInfo uri) {
        Doctor d = doctors.create(caller.id(), body);
        return Response.status(Response.Status.CREATED).header(HttpHeaders.LOCATION, PublicUrl.of("/api/doctors/" + d.id))
                .tag(Etags.of(d.version))
                .entity(DoctorResponse.from(d))
                .build();
    }

    @GET
    @Operation(summary = "List doctors", description = "The body is a plain array; paging metadata is in `X-Total-Count` and `Link`.")
    @APIResponse(responseCode = "200", description = "A page of doctors",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = DoctorResponse.class)))
    public Response list(@Valid @BeanParam PageParams page,
            @QueryParam("q") @Size(max = 200)
            @Parameter(description = "Name or specialization contains (case-insensitive)") String q,
            @QueryParam("sort") @Pattern(regexp = PageParams.SORTS, message = "must be one of name, createdAt, -createdAt")
            @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = { "name", "createdAt", "-createdAt" }, defaultValue = "createdAt")) String sort,
            @Context UriInfo uri) {
        var items = Doctor.list(q, PageParams.sort(sort), page).stream().map(DoctorResponse::from).toList();
        return Paged.response(items, Doctor.count(q), page, uri);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a doctor")
    @APIResponse(responseCode = "200", description = "The doctor", headers = @Header(ref = ApiApplication.ETAG_HEADER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DoctorResponse.class)))
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    public Response get(@PathParam("id") @Min(1) long id) {
        DoctorResponse d = directory.get(id, known -> Doctor.<Doctor> findByIdOptional(known).map(DoctorResponse::from))
                .orElseThrow(() -> ApiException.notFound("Doctor"));
        return Response.ok(d).tag(Etags.of(d.version())).build();
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Update a doctor", description = "Creator or admin only. Changes the fields present in the body;"
            + " `null` clears an optional field. With `If-Match`, a stale version is 412 and nothing changes.")
    @APIResponse(responseCode = "200", description = "The updated doctor", headers = @Header(ref = ApiApplication.ETAG_HEADER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DoctorResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "Neither the creator nor an admin")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiApplication.CONFLICT)
    @APIResponse(responseCode = "412", ref = ApiApplication.PRECONDITION_FAILED)
    public Response update(@PathParam("id") @Min(1) long id,
            @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(description = "ETag from a previous read") String ifMatch,
            @NotNull @Valid @ConvertGroup(to = OnUpdate.class) DoctorRequest body) {
        Doctor d = doctors.update(id, caller.id(), caller.isAdmin(), ifMatch, body);
        return Response.ok(DoctorResponse.from(d)).tag(Etags.of(d.version)).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a doctor", description = "Creator or admin only. Also deletes the doctor's assignments.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "Neither the creator nor an admin")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    @APIResponse(responseCode = "412", ref = ApiApplication.PRECONDITION_FAILED)
    public Response delete(@PathParam("id") @Min(1) long id,
            @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(description = "ETag from a previous read") String ifMatch) {
        doctors.delete(id, caller.id(), caller.isAdmin(), ifMatch);
        return Response.noContent().build();
    }
}
