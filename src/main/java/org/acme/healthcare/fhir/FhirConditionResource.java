package org.acme.healthcare.fhir;

import java.util.ArrayList;
import java.util.List;

import java.util.function.UnaryOperator;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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
import org.acme.healthcare.common.Problem;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.condition.ConditionResponse;
import org.acme.healthcare.condition.ConditionService;
import org.acme.healthcare.patient.PatientResponse;
import org.acme.healthcare.patient.PatientService;
import org.acme.healthcare.user.CurrentUser;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;

/**
 * FHIR {@code Condition} (US Core problems and health concerns, encounter diagnoses): a patient's
 * coded conditions (id = the condition's id) and its free-text {@code disease} as the Condition
 * {@code d{patientId}} ({@code code.text}). Read by id, search by patient. Who may read them is the
 * patient's rule, through the service layer.
 */
@Path("/fhir/Condition")
@Tag(name = FhirOpenApi.TAG)
@Produces(Fhir.MEDIA_TYPE)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class FhirConditionResource {
    private final PatientService patients;
    private final ConditionService conditions;
    private final FhirQueries queries;
    private final CurrentUser caller;

    FhirConditionResource(PatientService patients, ConditionService conditions, FhirQueries queries, CurrentUser caller) {
        this.patients = patients;
        this.conditions = conditions;
        this.queries = queries;
        this.caller = caller;
    }

    /** The query of a Condition search, documented once; the values are read by {@link FhirSearch#parse}. */
    public static class Query extends FhirSearch.OfPatientQuery {
        @QueryParam("category")
        @Parameter(description = "problem-list-item | encounter-diagnosis | health-concern, comma-separated for any")
        public String category;

        @QueryParam("clinical-status")
        @Parameter(description = "active | recurrence | relapse | inactive | remission | resolved, comma-separated for any")
        public String clinicalStatus;

        @QueryParam("code")
        @Parameter(description = "`system|code` or `code` (ICD-10-CM, SNOMED CT), comma-separated for any",
                schema = @Schema(type = SchemaType.STRING, examples = "http://snomed.info/sct|44054006"))
        public String code;

        @QueryParam("_offset")
        @Parameter(description = "Where the page starts (from a `next` link)",
                schema = @Schema(type = SchemaType.INTEGER, minimum = "0"))
        public String offset;
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SYSTEM }) // a system token reads too, within its scopes (client/SystemScopeFilter)
    @Path("/{id}")
    @Operation(summary = "FHIR: read a Condition", description = "A coded condition by its id, or `d{patientId}`: the"
            + " patient's `disease` (text only, with the patient record's version; 404 when it has none). With"
            + " `ETag: W/\"<version>\"`. Read like the patient: another user's or organization's is 404. Audited as a"
            + " read of the patient.")
    @APIResponse(responseCode = "200", description = "The Condition", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "404", description = "No such condition, or one of a patient the caller may not read")
    public Response read(@PathParam("id") @Parameter(description = "The condition's id, or `d{patientId}`",
            schema = @Schema(type = SchemaType.STRING, pattern = "^d?[1-9][0-9]{0,18}$")) String id, @Context UriInfo uri) {
        FhirSearch.read(uri);
        if (id != null && id.matches("[1-9][0-9]{0,18}")) {
            long conditionId = FhirSearch.id(id);
            // Whose it is, then the patient's rule decides (an unreadable one is the same 404 as none).
            Long patientId = org.acme.healthcare.condition.Condition.<org.acme.healthcare.condition.Condition> findByIdOptional(
                    conditionId).map(c -> c.patientId).orElseThrow(() -> ApiException.notFound("Condition"));
            ConditionResponse c = ConditionResponse.from(conditions.read(patientId, conditionId, caller.id(), caller.isAdmin()));
            return FhirResponses.read(FhirMapper.condition(c), c.version());
        }
        if (id == null || !id.matches(FhirMapper.DISEASE_ID_PREFIX + "[1-9][0-9]{0,18}")) {
            throw new ApiException(Problem.Type.MALFORMED, "The id must be a condition id, or d followed by a patient id.");
        }
        PatientResponse p = PatientResponse.from(patients.read(FhirSearch.id(id.substring(1)), caller.id(), caller.isAdmin()));
        if (!FhirMapper.hasDisease(p)) {
            throw ApiException.notFound("Condition");
        }
        return FhirResponses.read(FhirMapper.disease(p), p.version());
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SYSTEM }) // a system token reads too, within its scopes (client/SystemScopeFilter)
    @Operation(summary = "FHIR: search a patient's Conditions", description = "A searchset Bundle of the patient's"
            + " conditions: its `disease` first (id `d{patientId}`, a problem-list item with text only, when it has one"
            + " and no `clinical-status` or `code` is asked), then its coded conditions in id order. `patient` is"
            + " required. Read like the patient: another user's is 404. Audited as a read of the patient.")
    @APIResponse(responseCode = "200", description = "A searchset Bundle", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "404", description = "No such patient, or another user's")
    public Bundle search(@BeanParam Query query, @Context UriInfo uri) {
        FhirSearch.OfPatient search = FhirSearch.ofPatient(uri, "Condition", FhirConditionSearch.PARAMETERS, patients, caller);
        FhirConditionSearch criteria = FhirConditionSearch.of(search.search());
        PatientResponse p = PatientResponse.from(search.patient());
        int disease = FhirMapper.hasDisease(p) && criteria.findsDisease() ? 1 : 0;
        int offset = search.search().offset;
        int count = search.search().count;
        List<Condition> found = new ArrayList<>();
        if (disease == 1 && offset == 0) {
            found.add(FhirMapper.disease(p));
        }
        // The disease takes the first place: coded conditions start one later.
        int codedOffset = Math.max(0, offset - disease);
        int codedCount = count - found.size();
        var page = queries.conditions(p.id(), criteria, codedOffset, codedCount);
        page.items().forEach(c -> found.add(FhirMapper.condition(ConditionResponse.from(c))));
        return FhirBundles.searchset("Condition", search.search(), page.total() + disease, found);
    }

    // ---------------------------------------------------------------- writes (FhirWrites: the REST API's services)

    @Inject
    Fhir fhir;
    @Inject
    FhirWrites writes;

    @POST
    @Consumes({ Fhir.MEDIA_TYPE, MediaType.APPLICATION_JSON })
    @Operation(summary = "FHIR: create a Condition", description = "Adds a condition to the patient in `subject`"
            + " (`Patient/{id}`; the caller must be allowed to change that patient: else 404, or 403 for a member who may"
            + " not), as POST /api/patients/{id}/conditions does. `code.coding` in ICD-10-CM or SNOMED CT (the first such"
            + " coding is kept) and/or `code.text`; `category` (problem-list-item, encounter-diagnosis, health-concern),"
            + " `clinicalStatus`, `verificationStatus` codings; `onsetDateTime`/`abatementDateTime` (their dates);"
            + " `recordedDate`. US Core requires `code`, `category` and `subject`. 201 with `Location` and `ETag`.")
    @APIResponse(responseCode = "201", description = "Created: the Condition", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "400", description = "Not a FHIR R4 Condition in JSON", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "403", description = "A member of the patient's organization who may not change it", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "404", description = "No such patient, or another user's", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "422", description = "Breaks US Core or the record's rules; `issue.expression` names the element", ref = FhirOpenApi.ERROR)
    public Response create(@RequestBody(content = @Content(mediaType = Fhir.MEDIA_TYPE, schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "condition", value = FhirOpenApi.CONDITION_EXAMPLE))) byte[] body,
            @HeaderParam("If-None-Exist") @Parameter(description = "Not supported for Condition (400)") String ifNoneExist) {
        return FhirWrites.answer(writes.createCondition(FhirInbound.parse(fhir, body, Condition.class), ifNoneExist,
                UnaryOperator.identity()));
    }

    @PUT
    @Path("/{cid}")
    @Consumes({ Fhir.MEDIA_TYPE, MediaType.APPLICATION_JSON })
    @Operation(summary = "FHIR: update a Condition", description = "Replaces what the record keeps of the condition. Its `id`"
            + " must be the URL's (else 400) and its `subject` its patient: a condition never changes patients (another"
            + " subject finds no such condition: 404). `If-Match: W/\"{version}\"` honoured (stale: 412).")
    @APIResponse(responseCode = "200", description = "The updated Condition", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "400", description = "Not a FHIR R4 Condition in JSON, or its id is not the URL's", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "403", description = "A member of the patient's organization who may not change it", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "404", description = "No such condition of that patient, or another user's", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "405", description = "The `d{patientId}` Condition (the record's disease text) is changed through the patient", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "409", description = "A concurrent change", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "412", description = "If-Match is stale", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "422", description = "Breaks US Core or the record's rules; `issue.expression` names the element", ref = FhirOpenApi.ERROR)
    public Response update(@PathParam("cid") @Parameter(description = "The condition's id",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[1-9][0-9]{0,18}$")) String cid,
            @RequestBody(content = @Content(mediaType = Fhir.MEDIA_TYPE, schema = @Schema(type = SchemaType.OBJECT))) byte[] body,
            @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(description = "`W/\"{version}\"` from the ETag of a read") String ifMatch) {
        long id = writableId(cid);
        return FhirWrites.answer(writes.updateCondition(id, FhirInbound.parse(fhir, body, Condition.class), ifMatch,
                UnaryOperator.identity()));
    }

    @DELETE
    @Path("/{cid}")
    @Operation(summary = "FHIR: delete a Condition", description = "As DELETE /api/patients/{id}/conditions/{cid}; 204."
            + " `If-Match` honoured.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = "A member of the patient's organization who may not change it", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "404", description = "No such condition, or another user's", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "405", description = "The `d{patientId}` Condition is changed through the patient", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "412", description = "If-Match is stale", ref = FhirOpenApi.ERROR)
    public Response delete(@PathParam("cid") @Parameter(description = "The condition's id",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[1-9][0-9]{0,18}$")) String cid,
            @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(description = "`W/\"{version}\"` from the ETag of a read") String ifMatch) {
        writes.deleteCondition(writableId(cid), ifMatch);
        return Response.noContent().build();
    }

    /** A coded condition's id; {@code d{patientId}} is the record's disease text, written through the patient (405). */
    private static long writableId(String cid) {
        if (cid != null && cid.startsWith("d")) {
            throw new org.acme.healthcare.common.ApiException(org.acme.healthcare.common.Problem.Type.METHOD_NOT_ALLOWED,
                    "This Condition is the patient record's disease text: change it through the patient (PUT /api/patients/{id}).");
        }
        return FhirSearch.id(cid);
    }
}
