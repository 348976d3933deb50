package org.acme.healthcare.fhir;

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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.common.Roles;
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

/** FHIR {@code Condition}: a patient's {@code disease}, as {@code code.text}. Search by patient only. */
@Path("/fhir/Condition")
@Tag(name = FhirOpenApi.TAG)
@Produces(Fhir.MEDIA_TYPE)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class FhirConditionResource {
    private final PatientService patients;
    private final CurrentUser caller;

    FhirConditionResource(PatientService patients, CurrentUser caller) {
        this.patients = patients;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "FHIR: a patient's Condition", description = "A searchset Bundle with the patient's `disease`"
            + " as one Condition (`code.text`; id = the patient's id), or none when it is empty. `patient` is required."
            + " Owner or admin; another user's patient is 404. Audited as a read of the patient.")
    @APIResponse(responseCode = "200", description = "A searchset Bundle", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "404", description = "No such patient, or another user's")
    public Bundle search(@BeanParam FhirSearch.OfPatientQuery query, @Context UriInfo uri) {
        FhirSearch.OfPatient search = FhirSearch.ofPatient(uri, "Condition", patients, caller);
        PatientResponse p = PatientResponse.from(search.patient());
        boolean has = p.disease() != null && !p.disease().isBlank();
        List<Condition> found = has && search.search().offset == 0 ? List.of(FhirMapper.condition(p)) : List.of();
        return FhirBundles.searchset("Condition", search.search(), has ? 1 : 0, found);
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
