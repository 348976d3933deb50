package org.acme.healthcare.fhir;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.common.Roles;
import org.acme.healthcare.patient.PatientResponse;
import org.acme.healthcare.patient.PatientService;
import org.acme.healthcare.user.CurrentUser;
import org.eclipse.microprofile.openapi.annotations.Operation;
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
}
