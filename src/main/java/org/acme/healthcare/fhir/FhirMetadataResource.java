package org.acme.healthcare.fhir;

import java.util.Date;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementKind;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceVersionPolicy;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/**
 * {@code GET /fhir/metadata}: what this server does, exactly — per resource its interactions and
 * search parameters. No token needed (FHIR clients read it before they sign in).
 */
@Path("/fhir/metadata")
@Tag(name = FhirOpenApi.TAG)
@Produces(Fhir.MEDIA_TYPE)
@PermitAll
public class FhirMetadataResource {
    private static final String SPEC = "http://hl7.org/fhir/";
    private final Date started = new Date();

    @GET
    @Operation(summary = "FHIR: the CapabilityStatement", description = "FHIR R4 (4.0.1), JSON only: each resource with"
            + " the interactions and search parameters it supports. No token needed.")
    @APIResponse(responseCode = "200", description = "The CapabilityStatement", ref = FhirOpenApi.RESOURCE)
    public CapabilityStatement metadata(@Context UriInfo uri) {
        FhirSearch.read(uri);
        return statement(started);
    }

    static CapabilityStatement statement(Date date) {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(PublicationStatus.ACTIVE).setDate(date).setKind(CapabilityStatementKind.INSTANCE)
                .setFhirVersion(FHIRVersion._4_0_1).setPublisher("Healthcare API")
                .setDescription("A read-only FHIR R4 view of the Healthcare API's records: the same tokens, ownership and"
                        + " audit trail as the REST API.");
        cs.getSoftware().setName("Healthcare API");
        cs.getImplementation().setDescription("Healthcare API, FHIR R4 view (read-only)");
        cs.addFormat("json");
        cs.addFormat(Fhir.MEDIA_TYPE);
        CapabilityStatementRestComponent rest = cs.addRest().setMode(RestfulCapabilityMode.SERVER)
                .setDocumentation("Read-only. Searches page with _count (1 to 500, default 50); follow the Bundle's next"
                        + " link. Unknown search parameters are a 400.");
        rest.getSecurity().setCors(false).addService(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/restful-security-service", "OAuth", "OAuth")))
                .setDescription("Every resource needs the bearer token from POST /api/auth/login (Authorization: Bearer,"
                        + " or x-access-token); only this statement is public.");

        CapabilityStatementRestResourceComponent patient = resource(rest, "Patient", TypeRestfulInteraction.READ,
                TypeRestfulInteraction.VREAD, TypeRestfulInteraction.SEARCHTYPE).setVersioning(ResourceVersionPolicy.VERSIONED);
        param(patient, "name", "Patient-name", SearchParamType.STRING,
                "Start of the name or of any word in it, case-insensitive");
        param(patient, "gender", "individual-gender", SearchParamType.TOKEN, "male | female | other | unknown");
        param(resource(rest, "Practitioner", TypeRestfulInteraction.READ, TypeRestfulInteraction.SEARCHTYPE),
                "name", "Practitioner-name", SearchParamType.STRING, "Start of the name or of any word in it, case-insensitive");
        param(resource(rest, "CareTeam", TypeRestfulInteraction.SEARCHTYPE), "patient", "clinical-patient",
                SearchParamType.REFERENCE, "Required: the patient ({id} or Patient/{id})");
        param(resource(rest, "Condition", TypeRestfulInteraction.SEARCHTYPE), "patient", "clinical-patient",
                SearchParamType.REFERENCE, "Required: the patient ({id} or Patient/{id})");
        return cs;
    }

    private static CapabilityStatementRestResourceComponent resource(CapabilityStatementRestComponent rest, String type,
            TypeRestfulInteraction... interactions) {
        CapabilityStatementRestResourceComponent r = rest.addResource().setType(type)
                .setProfile(SPEC + "StructureDefinition/" + type);
        for (TypeRestfulInteraction i : interactions) {
            r.addInteraction().setCode(i);
        }
        return r;
    }

    private static void param(CapabilityStatementRestResourceComponent r, String name, String definition,
            SearchParamType type, String documentation) {
        r.addSearchParam().setName(name).setDefinition(SPEC + "SearchParameter/" + definition).setType(type)
                .setDocumentation(documentation);
    }
}
