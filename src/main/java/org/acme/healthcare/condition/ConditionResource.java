package org.acme.healthcare.condition;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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

import org.acme.healthcare.common.Etags;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.Paged;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.json.RequestBodies.Patch.OnCreate;
import org.acme.healthcare.json.RequestBodies.Patch.OnUpdate;
import org.acme.healthcare.openapi.ApiApplication;
import org.acme.healthcare.ops.PublicUrl;
import org.acme.healthcare.user.CurrentUser;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/patients")
@Tag(name = "Conditions", description = "A patient's problems, coded in ICD-10-CM or SNOMED CT (or as text): read by the"
        + " patient's readers, changed by its writers, audited as accesses of the patient")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class ConditionResource {
    private final ConditionService conditions;
    private final CurrentUser caller;

    ConditionResource(ConditionService conditions, CurrentUser caller) {
        this.conditions = conditions;
        this.caller = caller;
    }

    @POST
    @Path("/{id}/conditions")
    @Operation(summary = "Add a condition to a patient", description = "For whoever may change the patient (its owner, or an"
            + " admin or clinician of its organization). `code` or `text` is required. Audited as a `create` of the patient"
            + " with `detail.condition`.")
    @APIResponse(responseCode = "201", description = "Created; `Location` names it", headers = @Header(ref = ApiApplication.ETAG_HEADER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConditionResponse.class)))
    @APIResponse(responseCode = "400", ref = ApiApplication.BAD_REQUEST, description = "A field is invalid: an unknown code"
            + " system, a code that does not fit it, neither code nor text, an abatement before the onset")
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member of the patient's organization who may not change it")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    public Response create(@PathParam("id") @Min(1) long patientId,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConditionRequest.class),
                    examples = {
                            @ExampleObject(name = "snomed", summary = "Coded in SNOMED CT", value = "{\"code\": {\"system\":"
                                    + " \"http://snomed.info/sct\", \"code\": \"44054006\", \"display\": \"Diabetes mellitus type 2\"},"
                                    + " \"category\": \"problem-list-item\", \"clinicalStatus\": \"active\","
                                    + " \"verificationStatus\": \"confirmed\", \"onsetDate\": \"2019-04-01\"}"),
                            @ExampleObject(name = "icd10", summary = "Coded in ICD-10-CM", value = "{\"code\": {\"system\":"
                                    + " \"http://hl7.org/fhir/sid/icd-10-cm\", \"code\": \"E11.9\"}, \"category\": \"encounter-diagnosis\"}"),
                            @ExampleObject(name = "text", summary = "Text only", value = "{\"text\": \"Seasonal allergies\"}") }))
            @NotNull @Valid @ConvertGroup(to = OnCreate.class) ConditionRequest body) {
        Condition c = conditions.create(patientId, caller.id(), caller.isAdmin(), body);
        return Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, PublicUrl.of("/api/patients/" + patientId + "/conditions/" + c.id))
                .tag(Etags.of(c.version)).entity(ConditionResponse.from(c)).build();
    }

    @GET
    @Path("/{id}/conditions")
    @Operation(summary = "List a patient's conditions", description = "In the order they were added. For whoever may read"
            + " the patient. Paging metadata in `X-Total-Count` and `Link`. Audited as a read of the patient.")
    @APIResponse(responseCode = "200", description = "A page of conditions",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ConditionResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A restricted record: break-glass required")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    public Response list(@PathParam("id") @Min(1) long patientId, @Valid @BeanParam PageParams page,
            @QueryParam("clinicalStatus") @Pattern(regexp = ConditionRequest.CLINICAL,
                    message = "must be active, recurrence, relapse, inactive, remission or resolved")
            @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = { "active", "recurrence", "relapse", "inactive",
                    "remission", "resolved" })) String clinicalStatus,
            @QueryParam("category") @Pattern(regexp = ConditionRequest.CATEGORIES,
                    message = "must be problem-list-item, encounter-diagnosis or health-concern")
            @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = { "problem-list-item", "encounter-diagnosis",
                    "health-concern" })) String category,
            @Context UriInfo uri) {
        ConditionService.Page found = conditions.list(patientId, caller.id(), caller.isAdmin(), clinicalStatus, category, page);
        return Paged.response(found.items().stream().map(ConditionResponse::from).toList(), found.total(), page, uri);
    }

    @GET
    @Path("/{id}/conditions/{cid}")
    @Operation(summary = "Read a condition", description = "For whoever may read the patient. Audited as a read of the patient.")
    @APIResponse(responseCode = "200", description = "The condition", headers = @Header(ref = ApiApplication.ETAG_HEADER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConditionResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A restricted record: break-glass required")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = "No such patient or condition, or not the caller's to see")
    public Response get(@PathParam("id") @Min(1) long patientId, @PathParam("cid") @Min(1) long conditionId) {
        Condition c = conditions.read(patientId, conditionId, caller.id(), caller.isAdmin());
        return Response.ok(ConditionResponse.from(c)).tag(Etags.of(c.version)).build();
    }

    @PUT
    @Path("/{id}/conditions/{cid}")
    @Operation(summary = "Update a condition", description = "Changes the fields present in the body; `null` clears an optional"
            + " one. With `If-Match`, a stale version is 412 and nothing changes. Audited as an `update` of the patient.")
    @APIResponse(responseCode = "200", description = "The updated condition", headers = @Header(ref = ApiApplication.ETAG_HEADER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConditionResponse.class)))
    @APIResponse(responseCode = "400", ref = ApiApplication.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member of the patient's organization who may not change it")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiApplication.CONFLICT)
    @APIResponse(responseCode = "412", ref = ApiApplication.PRECONDITION_FAILED)
    public Response update(@PathParam("id") @Min(1) long patientId, @PathParam("cid") @Min(1) long conditionId,
            @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(description = "ETag from a previous read") String ifMatch,
            @NotNull @Valid @ConvertGroup(to = OnUpdate.class) ConditionRequest body) {
        Condition c = conditions.update(patientId, conditionId, caller.id(), caller.isAdmin(), ifMatch, body);
        return Response.ok(ConditionResponse.from(c)).tag(Etags.of(c.version)).build();
    }

    @DELETE
    @Path("/{id}/conditions/{cid}")
    @Operation(summary = "Delete a condition", description = "Audited as a `delete` of the patient with `detail.condition`;"
            + " its history keeps the deleted state.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member of the patient's organization who may not change it")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    @APIResponse(responseCode = "412", ref = ApiApplication.PRECONDITION_FAILED)
    public Response delete(@PathParam("id") @Min(1) long patientId, @PathParam("cid") @Min(1) long conditionId,
            @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(description = "ETag from a previous read") String ifMatch) {
        conditions.delete(patientId, conditionId, caller.id(), caller.isAdmin(), ifMatch);
        return Response.noContent().build();
    }
}
