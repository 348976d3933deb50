package org.acme.healthcare.fhir;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Problem;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.patient.PatientResponse;
import org.acme.healthcare.patient.PatientService;
import org.acme.healthcare.user.CurrentUser;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;

/**
 * FHIR {@code Condition} (US Core problems and health concerns): a patient's free-text
 * {@code disease} as the Condition {@code d{patientId}} ({@code code.text}). Read by id, search by patient.
 */
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
    @Path("/{id}")
    @Operation(summary = "FHIR: read a Condition", description = "`d{patientId}`: the patient's `disease` as a Condition"
            + " (text only), with the patient record's `ETag: W/\"<version>\"`; 404 when the patient has none. Read like the"
            + " patient: another user's or organization's is 404. Audited as a read of the patient.")
    @APIResponse(responseCode = "200", description = "The Condition", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "404", description = "No such condition, or one of a patient the caller may not read")
    public Response read(@PathParam("id") @Parameter(description = "`d{patientId}`",
            schema = @Schema(type = SchemaType.STRING, pattern = "^d?[1-9][0-9]{0,18}$")) String id, @Context UriInfo uri) {
        FhirSearch.read(uri);
        if (id != null && id.matches("[1-9][0-9]{0,18}")) {
            // The form of a coded condition's id; none is served yet.
            throw ApiException.notFound("Condition");
        }
        if (id == null || !id.startsWith(FhirMapper.DISEASE_ID_PREFIX)) {
            throw new ApiException(Problem.Type.MALFORMED, "The id must be a condition id, or d followed by a patient id.");
        }
        PatientResponse p = PatientResponse.from(patients.read(FhirSearch.id(id.substring(1)), caller.id(), caller.isAdmin()));
        if (!FhirMapper.hasDisease(p)) {
            throw ApiException.notFound("Condition");
        }
        return FhirResponses.read(FhirMapper.disease(p), p.version());
    }

    @GET
    @Operation(summary = "FHIR: a patient's Conditions", description = "A searchset Bundle with the patient's `disease`"
            + " as one Condition (`code.text`; id `d{patientId}`), or none when it is empty. `patient` is required."
            + " Owner or admin; another user's patient is 404. Audited as a read of the patient.")
    @APIResponse(responseCode = "200", description = "A searchset Bundle", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "404", description = "No such patient, or another user's")
    public Bundle search(@BeanParam FhirSearch.OfPatientQuery query, @Context UriInfo uri) {
        FhirSearch.OfPatient search = FhirSearch.ofPatient(uri, "Condition", patients, caller);
        PatientResponse p = PatientResponse.from(search.patient());
        boolean has = FhirMapper.hasDisease(p);
        List<Condition> found = has && search.search().offset == 0 ? List.of(FhirMapper.disease(p)) : List.of();
        return FhirBundles.searchset("Condition", search.search(), has ? 1 : 0, found);
    }
}
