package org.acme.healthcare.fhir;

import java.util.Date;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.client.TokenEndpoint;
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
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

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
    private static final String US_CORE_SP = "http://hl7.org/fhir/us/core/SearchParameter/";
    private static final String BULK_DATA = "http://hl7.org/fhir/uv/bulkdata/";
    private static final String SECURITY_SERVICE = "http://terminology.hl7.org/CodeSystem/restful-security-service";
    static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";
    private final Date started = new Date();

    @GET
    @Operation(summary = "FHIR: the CapabilityStatement", description = "FHIR R4 (4.0.1), JSON only: each resource with"
            + " the interactions and search parameters it supports. No token needed.")
    @APIResponse(responseCode = "200", description = "The CapabilityStatement", ref = FhirOpenApi.RESOURCE)
    public CapabilityStatement metadata(@Context UriInfo uri) {
        FhirSearch.read(uri);
        return statement(started, TokenEndpoint.advertised(), TokenEndpoint.advertisedAuthorize());
    }

    /**
     * The statement; {@code tokenUrl}: the token endpoint system clients get tokens from, {@code
     * authorizeUrl}: the authorization endpoint, which only refuses (client/TokenEndpoint).
     */
    static CapabilityStatement statement(Date date, String tokenUrl, String authorizeUrl) {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(PublicationStatus.ACTIVE).setDate(date).setKind(CapabilityStatementKind.INSTANCE)
                .setFhirVersion(FHIRVersion._4_0_1).setPublisher("Healthcare API")
                .setDescription("A FHIR R4 view of the Healthcare API's records, read and written, conforming to US Core 6.1.0"
                        + " (each resource's supportedProfile): the same tokens, access rule and audit trail as the REST API.");
        // FHIR Bulk Data Access 2.0: system, Patient and Group export (docs/bulk-export.md).
        cs.addInstantiates(BULK_DATA + "CapabilityStatement/bulk-data");
        cs.getSoftware().setName("Healthcare API");
        cs.getImplementation().setDescription("Healthcare API, FHIR R4 view");
        cs.addFormat("json");
        cs.addFormat(Fhir.MEDIA_TYPE);
        CapabilityStatementRestComponent rest = cs.addRest().setMode(RestfulCapabilityMode.SERVER)
                .setDocumentation("Searches page with _count (1 to 500, default 50); follow the Bundle's next link."
                        + " Unknown search parameters are a 400. Patient and Condition are writable (create, with"
                        + " If-None-Exist: identifier=system|value on Patient; update with If-Match; delete), and POST to"
                        + " the base takes transaction and batch Bundles of them (at most 1,000 entries).");
        rest.addOperation().setName("export").setDefinition(BULK_DATA + "OperationDefinition/export")
                .setDocumentation("GET or POST [base]/$export with Prefer: respond-async: the patients the caller may read"
                        + " (Patient, Condition) and the Practitioners, as NDJSON files.");
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.TRANSACTION);
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.BATCH);
        CapabilityStatement.CapabilityStatementRestSecurityComponent security = rest.getSecurity().setCors(false)
                .addService(new CodeableConcept().addCoding(new Coding(SECURITY_SERVICE, "OAuth", "OAuth")))
                .addService(new CodeableConcept().addCoding(new Coding(SECURITY_SERVICE, "SMART-on-FHIR", "SMART-on-FHIR")))
                .setDescription("Every resource needs a bearer token (Authorization: Bearer, or x-access-token): a user's"
                        + " from POST /api/auth/login, or a system client's from the token endpoint (SMART Backend Services,"
                        + " see .well-known/smart-configuration), which reads its organization's records within its"
                        + " scopes. Only this statement and the SMART configuration are public.");
        // SMART App Launch's oauth-uris extension: where the token endpoint is. Its definition requires
        // an authorization endpoint too: one that refuses (no user authorization here).
        Extension oauthUris = security.addExtension().setUrl(OAUTH_URIS);
        oauthUris.addExtension("token", new UriType(tokenUrl));
        oauthUris.addExtension("authorize", new UriType(authorizeUrl));

        CapabilityStatementRestResourceComponent patient = resource(rest, "Patient", FhirMapper.PATIENT_PROFILE,
                TypeRestfulInteraction.READ, TypeRestfulInteraction.VREAD, TypeRestfulInteraction.SEARCHTYPE,
                TypeRestfulInteraction.CREATE, TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.DELETE)
                .setVersioning(ResourceVersionPolicy.VERSIONED);
        writable(patient).setConditionalCreate(true);
        param(patient, "_id", US_CORE_SP + "us-core-patient-id", SearchParamType.TOKEN, "Patient ids, comma-separated");
        param(patient, "identifier", US_CORE_SP + "us-core-patient-identifier", SearchParamType.TOKEN,
                "system|value or value; the record's id is under " + FhirMapper.PATIENT_ID_SYSTEM);
        param(patient, "name", US_CORE_SP + "us-core-patient-name", SearchParamType.STRING,
                "Start of the name or of any word in it, of the family name or of a given name, case-insensitive");
        param(patient, "family", US_CORE_SP + "us-core-patient-family", SearchParamType.STRING,
                "Start of the family name or of any word in it, case-insensitive");
        param(patient, "given", US_CORE_SP + "us-core-patient-given", SearchParamType.STRING,
                "Start of a given name, case-insensitive");
        param(patient, "birthdate", US_CORE_SP + "us-core-patient-birthdate", SearchParamType.DATE,
                "[eq|ge|le|gt|lt]YYYY[-MM[-DD]]; given twice, both hold (a range)");
        param(patient, "gender", US_CORE_SP + "us-core-patient-gender", SearchParamType.TOKEN,
                "male | female | other | unknown (a record without a gender is unknown)");
        param(patient, "organization", SPEC + "SearchParameter/Patient-organization", SearchParamType.REFERENCE,
                "Organization/{id} or {id}");
        patient.addOperation().setName("patient-export").setDefinition(BULK_DATA + "OperationDefinition/patient-export")
                .setDocumentation("GET or POST [base]/Patient/$export: the patients the caller may read (Patient, Condition).");
        CapabilityStatementRestResourceComponent practitioner = resource(rest, "Practitioner",
                FhirMapper.PRACTITIONER_PROFILE, TypeRestfulInteraction.READ, TypeRestfulInteraction.SEARCHTYPE);
        param(practitioner, "name", US_CORE_SP + "us-core-practitioner-name", SearchParamType.STRING,
                "Start of the name or of any word in it, case-insensitive");
        resource(rest, "Organization", FhirMapper.ORGANIZATION_PROFILE, TypeRestfulInteraction.READ)
                .setDocumentation("An organization the caller belongs to; any other is 404.");
        param(resource(rest, "CareTeam", FhirMapper.CARE_TEAM_PROFILE, TypeRestfulInteraction.SEARCHTYPE), "patient",
                US_CORE_SP + "us-core-careteam-patient", SearchParamType.REFERENCE, "Required: the patient ({id} or Patient/{id})");
        CapabilityStatementRestResourceComponent condition = resource(rest, "Condition",
                FhirMapper.CONDITION_PROBLEM_PROFILE, TypeRestfulInteraction.READ, TypeRestfulInteraction.SEARCHTYPE,
                TypeRestfulInteraction.CREATE, TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.DELETE)
                .addSupportedProfile(FhirMapper.CONDITION_ENCOUNTER_PROFILE)
                .setDocumentation("A patient's coded conditions (id = the condition's id) and its free-text disease"
                        + " (id d{patientId}, text only).");
        writable(condition);
        param(condition, "patient", US_CORE_SP + "us-core-condition-patient", SearchParamType.REFERENCE,
                "Required: the patient ({id} or Patient/{id})");
        param(condition, "category", US_CORE_SP + "us-core-condition-category", SearchParamType.TOKEN,
                "problem-list-item | encounter-diagnosis | health-concern, comma-separated for any");
        param(condition, "clinical-status", US_CORE_SP + "us-core-condition-clinical-status", SearchParamType.TOKEN,
                "active | recurrence | relapse | inactive | remission | resolved, comma-separated for any");
        param(condition, "code", US_CORE_SP + "us-core-condition-code", SearchParamType.TOKEN,
                "system|code or code (ICD-10-CM, SNOMED CT), comma-separated for any");
        // A Group is an organization's patients: exported, never read or searched.
        rest.addResource().setType("Group").setProfile(SPEC + "StructureDefinition/Group")
                .setDocumentation("Group/{organizationId}: the patients of an organization the caller belongs to; only"
                        + " exported.")
                .addOperation().setName("group-export").setDefinition(BULK_DATA + "OperationDefinition/group-export")
                .setDocumentation("GET or POST [base]/Group/{organizationId}/$export (Patient, Condition).");
        return cs;
    }

    /** A resource type: its base profile, the US Core profile its answers claim, and its interactions. */
    private static CapabilityStatementRestResourceComponent resource(CapabilityStatementRestComponent rest, String type,
            String usCoreProfile, TypeRestfulInteraction... interactions) {
        CapabilityStatementRestResourceComponent r = rest.addResource().setType(type)
                .setProfile(SPEC + "StructureDefinition/" + type);
        r.addSupportedProfile(usCoreProfile);
        for (TypeRestfulInteraction i : interactions) {
            r.addInteraction().setCode(i);
        }
        return r;
    }

    /** Writes as FhirWrites does them: the server assigns ids, updates honour If-Match, deletes are single. */
    private static CapabilityStatementRestResourceComponent writable(CapabilityStatementRestResourceComponent r) {
        return r.setUpdateCreate(false).setConditionalUpdate(false)
                .setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED);
    }

    private static void param(CapabilityStatementRestResourceComponent r, String name, String definition,
            SearchParamType type, String documentation) {
        r.addSearchParam().setName(name).setDefinition(definition).setType(type)
                .setDocumentation(documentation);
    }
}
