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
import org.acme.healthcare.mapping.Mapping;
import org.acme.healthcare.patient.PatientService;
import org.acme.healthcare.user.CurrentUser;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.Bundle;

/** FHIR {@code CareTeam}: a patient's one team, a participant per assigned doctor. Search by patient only. */
@Path("/fhir/CareTeam")
@Tag(name = FhirOpenApi.TAG)
@Produces(Fhir.MEDIA_TYPE)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class FhirCareTeamResource {
    private final PatientService patients;
    private final FhirQueries queries;
    private final CurrentUser caller;

    FhirCareTeamResource(PatientService patients, FhirQueries queries, CurrentUser caller) {
        this.patients = patients;
        this.queries = queries;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SYSTEM }) // a system token reads too, within its scopes (client/SystemScopeFilter)
    @Operation(summary = "FHIR: a patient's CareTeam", description = "A searchset Bundle with the patient's one"
            + " CareTeam (US Core; id = the patient's id): a participant per assigned doctor, `period.start` = when assigned;"
            + " none while no doctor is assigned."
            + " `patient` is required. Owner or admin; another user's patient is 404. Audited as a read of the patient.")
    @APIResponse(responseCode = "200", description = "A searchset Bundle", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "404", description = "No such patient, or another user's")
    public Bundle search(@BeanParam FhirSearch.OfPatientQuery query, @Context UriInfo uri) {
        FhirSearch.OfPatient search = FhirSearch.ofPatient(uri, "CareTeam", patients, caller);
        long patientId = search.patient().id;
        List<Mapping> assigned = queries.assignments(patientId);
        // US Core: a CareTeam has at least one participant; no doctor, no team.
        int total = assigned.isEmpty() ? 0 : 1;
        var team = total == 1 && search.search().offset == 0 ? List.of(FhirMapper.careTeam(patientId, assigned))
                : List.<org.hl7.fhir.r4.model.CareTeam> of();
        return FhirBundles.searchset("CareTeam", search.search(), total, team);
    }
}
