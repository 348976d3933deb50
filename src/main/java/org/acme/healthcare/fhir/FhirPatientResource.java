package org.acme.healthcare.fhir;


import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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
import org.acme.healthcare.patient.PatientHistory;
import org.acme.healthcare.patient.PatientResponse;
import org.acme.healthcare.patient.PatientRevisionResponse;
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
import org.hl7.fhir.r4.model.Patient;

/** FHIR {@code Patient}: the caller's patient records (an admin may read any by id), read-only. */
@Path("/fhir/Patient")
@Tag(name = FhirOpenApi.TAG)
@Produces(Fhir.MEDIA_TYPE)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class FhirPatientResource {
    private final PatientService patients;
    private final PatientHistory history;
    private final FhirQueries queries;
    private final CurrentUser caller;

    FhirPatientResource(PatientService patients, PatientHistory history, FhirQueries queries, CurrentUser caller) {
        this.patients = patients;
        this.history = history;
        this.queries = queries;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SYSTEM }) // a system token reads too, within its scopes (client/SystemScopeFilter)
    @Path("/{id}")
    @Operation(summary = "FHIR: read a Patient", description = "The patient record as a FHIR R4 Patient, with"
            + " `ETag: W/\"<version>\"`. Read like GET /api/patients/{id}: another user's or organization's patient is"
            + " 404, as if it did not exist; a restricted one needs break-glass (403); an admin may read any that is not"
            + " restricted. Audited as a read of the record.")
    @APIResponse(responseCode = "200", description = "The Patient", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "404", description = "No such patient, or another user's")
    public Response read(@PathParam("id") @Parameter(description = "The patient's id",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[1-9][0-9]{0,18}$")) String id, @Context UriInfo uri) {
        FhirSearch.read(uri);
        var p = patients.read(FhirSearch.id(id), caller.id(), caller.isAdmin());
        return FhirResponses.read(FhirMapper.patient(PatientResponse.from(p)), p.version);
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SYSTEM }) // a system token reads too, within its scopes (client/SystemScopeFilter)
    @Operation(summary = "FHIR: search Patients", description = "The patients the caller may list (its personal ones and"
            + " its organizations', as GET /api/patients), as a searchset Bundle of US Core Patients with `total` and"
            + " `self`/`next` links. `name` matches the start of the name or of any word in it, case-insensitively."
            + " Audited with the ids returned.")
    @APIResponse(responseCode = "200", description = "A searchset Bundle", ref = FhirOpenApi.RESOURCE)
    public Bundle search(
            @QueryParam("name") @Parameter(description = "Start of the name, of a word in it, of the family name or of a"
                    + " given name") String name,
            @QueryParam("family") @Parameter(description = "Start of the family name or of a word in it") String family,
            @QueryParam("given") @Parameter(description = "Start of a given name") String given,
            @QueryParam("birthdate") @Parameter(description = "`[eq|ge|le|gt|lt]YYYY[-MM[-DD]]`; twice for a range"
                    + " (`ge1990&birthdate=lt2000`)", schema = @Schema(type = SchemaType.STRING, examples = "ge1990-01-01"))
            List<String> birthdate,
            @QueryParam("gender") @Parameter(description = "male | female | other | unknown (a record without a gender"
                    + " is `unknown`), comma-separated for any of them",
                    schema = @Schema(type = SchemaType.STRING, examples = "female")) String gender,
            @QueryParam("_id") @Parameter(description = "Patient ids, comma-separated for any of them") String ids,
            @QueryParam("identifier") @Parameter(description = "`system|value` or `value`: the record's identifiers, and"
                    + " its id under `urn:healthcare-api:patient-id`", schema = @Schema(type = SchemaType.STRING,
                            examples = "urn:healthcare-api:patient-id|7")) String identifier,
            @QueryParam("organization") @Parameter(description = "`Organization/{id}` or `{id}`: the patients of that"
                    + " organization the caller may read") String organization,
            @QueryParam("_count") @Parameter(description = "Page size, 1 to 500 (default 50)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500")) String count,
            @QueryParam("_offset") @Parameter(description = "Where the page starts (from a `next` link)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) String offset,
            @Context UriInfo uri) {
        FhirSearch search = FhirSearch.parse(uri, "Patient", FhirPatientSearch.PARAMETERS, FhirPatientSearch.REPEATABLE);
        var page = queries.patients(caller.id(), FhirPatientSearch.of(search), search.offset, search.count);
        List<Patient> resources = page.items().stream().map(p -> FhirMapper.patient(PatientResponse.from(p))).toList();
        return FhirBundles.searchset("Patient", search, page.total(), resources);
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SYSTEM }) // a system token reads too, within its scopes (client/SystemScopeFilter)
    @Path("/{id}/_history/{vid}")
    @Operation(summary = "FHIR: read a version of a Patient", description = "The patient as it was at that version, from"
            + " the record's history (which outlives a delete). The version that deleted the record is 410 Gone. Owner or"
            + " admin; another user's is 404. Audited as a read.")
    @APIResponse(responseCode = "200", description = "The Patient at that version", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "404", description = "No such patient or version, another user's, or erased")
    @APIResponse(responseCode = "410", description = "The version is the record's deletion", ref = FhirOpenApi.ERROR)
    public Response version(@PathParam("id") @Parameter(description = "The patient's id",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[1-9][0-9]{0,18}$")) String id,
            @PathParam("vid") @Parameter(description = "The version (`meta.versionId`)",
                    schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9]{1,19}$")) String vid,
            @Context UriInfo uri) {
        FhirSearch.read(uri);
        long patientId = FhirSearch.id(id);
        long version;
        try {
            version = vid != null && vid.matches("[0-9]{1,19}") ? Long.parseLong(vid) : -1;
        } catch (NumberFormatException e) {
            version = -1;
        }
        if (version < 0) {
            throw new ApiException(org.acme.healthcare.common.Problem.Type.MALFORMED, "The version must be a whole number.");
        }
        PatientRevisionResponse revision = history.version(patientId, version, caller.id(), caller.isAdmin());
        if ("delete".equals(revision.action())) {
            return Response.status(410).type(Fhir.MEDIA_TYPE)
                    .entity(FhirErrors.outcome(410, "This version is the deletion of the record.")).build();
        }
        return FhirResponses.read(FhirMapper.patient(revision.patient()), revision.version());
    }

    // ---------------------------------------------------------------- writes (FhirWrites: the REST API's services)

    @Inject
    Fhir fhir;
    @Inject
    FhirWrites writes;

    @POST
    @Consumes({ Fhir.MEDIA_TYPE, MediaType.APPLICATION_JSON })
    @Operation(summary = "FHIR: create a Patient", description = "Creates the patient record as POST /api/patients does"
            + " (same rules, history and audit): `name` (its text, else given and family), `gender`, `birthDate`,"
            + " `identifier` (system and value each), the first phone and email of `telecom`, the first `address` (text,"
            + " else its lines), `managingOrganization` = `Organization/{id}` to create it in that organization (its"
            + " admin or clinician). US Core requires `identifier`, `name` and `gender`. With `If-None-Exist:"
            + " identifier=system|value`: 200 with the patient the caller may read that has it, 412 when several do,"
            + " else created. 201 with `Location: …/Patient/{id}/_history/{version}` and `ETag: W/\"{version}\"`.")
    @APIResponse(responseCode = "201", description = "Created: the Patient as read", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "200", description = "If-None-Exist matched one patient: that Patient", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "400", description = "Not a FHIR R4 Patient in JSON (unknown element, wrong type), or a malformed If-None-Exist", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "403", description = "A reader of the managing organization", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "404", description = "The managing organization is not one of the caller's", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "409", description = "Another patient of the same organization (or of the caller's personal ones) has one of these identifiers", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "412", description = "If-None-Exist matches several patients", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "422", description = "Breaks US Core or the record's rules; `issue.expression` names the element", ref = FhirOpenApi.ERROR)
    public Response create(@RequestBody(content = @Content(mediaType = Fhir.MEDIA_TYPE, schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "patient", value = FhirOpenApi.PATIENT_EXAMPLE))) byte[] body,
            @HeaderParam("If-None-Exist") @Parameter(description = "Conditional create: `identifier=system|value`") String ifNoneExist) {
        return FhirWrites.answer(writes.createPatient(FhirInbound.parse(fhir, body, Patient.class), ifNoneExist, true));
    }

    @PUT
    @Path("/{id}")
    @Consumes({ Fhir.MEDIA_TYPE, MediaType.APPLICATION_JSON })
    @Operation(summary = "FHIR: update a Patient", description = "Replaces what the record keeps of the Patient (an element"
            + " left out is cleared; the organization is kept unless `managingOrganization` names another, which is 409 for"
            + " a patient already in one). The resource's `id` must be the URL's (else 400). `If-Match: W/\"{version}\"`"
            + " is honoured: a stale one is 412. As PUT /api/patients/{id}: same rules, access, history and audit.")
    @APIResponse(responseCode = "200", description = "The updated Patient", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "400", description = "Not a FHIR R4 Patient in JSON, or its id is not the URL's", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "403", description = "A member of the patient's organization who may not change it", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "404", description = "No such patient, or another user's", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "409", description = "A duplicate identifier, a move out of an organization, or a concurrent change", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "412", description = "If-Match is stale", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "422", description = "Breaks US Core or the record's rules; `issue.expression` names the element", ref = FhirOpenApi.ERROR)
    public Response update(@PathParam("id") @Parameter(description = "The patient's id",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[1-9][0-9]{0,18}$")) String id,
            @RequestBody(content = @Content(mediaType = Fhir.MEDIA_TYPE, schema = @Schema(type = SchemaType.OBJECT))) byte[] body,
            @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(description = "`W/\"{version}\"` from the ETag of a read") String ifMatch) {
        long patientId = FhirSearch.id(id);
        return FhirWrites.answer(writes.updatePatient(patientId, FhirInbound.parse(fhir, body, Patient.class), ifMatch));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "FHIR: delete a Patient", description = "As DELETE /api/patients/{id}: the record, its conditions"
            + " and mappings go; its history stays. 204 with no body (FHIR allows 200 or 204). `If-Match` honoured.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = "A member of the patient's organization who may not change it", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "404", description = "No such patient, or another user's", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "412", description = "If-Match is stale", ref = FhirOpenApi.ERROR)
    public Response delete(@PathParam("id") @Parameter(description = "The patient's id",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[1-9][0-9]{0,18}$")) String id,
            @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(description = "`W/\"{version}\"` from the ETag of a read") String ifMatch) {
        writes.deletePatient(FhirSearch.id(id), ifMatch);
        return Response.noContent().build();
    }
}
