package org.acme.healthcare.fhir;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * The FHIR routes in the OpenAPI document, under their own tag: a FHIR resource and an
 * OperationOutcome (both {@code application/fhir+json}) as shared responses, and on every
 * {@code /fhir} operation the errors every one of them can answer (400, 401 when guarded, 406,
 * 500), each an OperationOutcome, in place of the bodiless ones the framework adds. The resource
 * schemas are FHIR's own (hl7.org/fhir/R4), referred to, not copied.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class FhirOpenApi implements OASFilter {
    public static final String TAG = "FHIR";
    public static final String RESOURCE = "FhirResource";
    public static final String ERROR = "FhirError";
    /** Request examples of the writes (Swagger UI's "Try it out" starts from them). */
    static final String PATIENT_EXAMPLE = "{\"resourceType\": \"Patient\", \"identifier\": [{\"system\":"
            + " \"http://hospital.example.org/mrn\", \"value\": \"MRN-004211\"}], \"name\": [{\"family\": \"Doe\","
            + " \"given\": [\"Jane\"]}], \"gender\": \"female\", \"birthDate\": \"1984-03-07\"}";
    static final String CONDITION_EXAMPLE = "{\"resourceType\": \"Condition\", \"subject\": {\"reference\":"
            + " \"Patient/1\"}, \"category\": [{\"coding\": [{\"system\":"
            + " \"http://terminology.hl7.org/CodeSystem/condition-category\", \"code\": \"problem-list-item\"}]}],"
            + " \"clinicalStatus\": {\"coding\": [{\"system\": \"http://terminology.hl7.org/CodeSystem/condition-clinical\","
            + " \"code\": \"active\"}]}, \"code\": {\"coding\": [{\"system\": \"http://snomed.info/sct\", \"code\":"
            + " \"44054006\", \"display\": \"Diabetes mellitus type 2\"}]}, \"onsetDateTime\": \"2019-04-01\"}";
    static final String TRANSACTION_EXAMPLE = "{\"resourceType\": \"Bundle\", \"type\": \"transaction\", \"entry\": ["
            + "{\"fullUrl\": \"urn:uuid:7d3c1f0e-1b2a-4c5d-8e9f-0a1b2c3d4e5f\", \"resource\": " + PATIENT_EXAMPLE + ","
            + " \"request\": {\"method\": \"POST\", \"url\": \"Patient\", \"ifNoneExist\":"
            + " \"identifier=http://hospital.example.org/mrn|MRN-004211\"}}, {\"resource\": {\"resourceType\": \"Condition\","
            + " \"subject\": {\"reference\": \"urn:uuid:7d3c1f0e-1b2a-4c5d-8e9f-0a1b2c3d4e5f\"}, \"category\": [{\"coding\":"
            + " [{\"system\": \"http://terminology.hl7.org/CodeSystem/condition-category\", \"code\": \"problem-list-item\"}]}],"
            + " \"code\": {\"coding\": [{\"system\": \"http://hl7.org/fhir/sid/icd-10-cm\", \"code\": \"E11.9\"}]}},"
            + " \"request\": {\"method\": \"POST\", \"url\": \"Condition\"}}]}";
    private static final Map<String, String> ALWAYS = Map.of(
            "400", "Unknown search parameter, bad `_count`, or a malformed id",
            "406", "Anything but JSON asked for (`Accept` or `_format`)",
            "500", "Unexpected failure; the diagnostics carry only a correlation id that is also in the service log");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addResponse(RESOURCE, OASFactory.createAPIResponse()
                .description("A FHIR R4 resource (see its type at https://hl7.org/fhir/R4/)")
                .content(content("A FHIR R4 resource in JSON; `resourceType` names its type")));
        openAPI.getComponents().addResponse(ERROR, OASFactory.createAPIResponse()
                .description("A FHIR R4 OperationOutcome: `issue[].severity`, `issue[].code`, `issue[].diagnostics`")
                .content(content("A FHIR R4 OperationOutcome (https://hl7.org/fhir/R4/operationoutcome.html)")));
        boolean tagged = openAPI.getTags() != null && openAPI.getTags().stream().anyMatch(t -> TAG.equals(t.getName()));
        if (!tagged) {
            openAPI.addTag(OASFactory.createTag().name(TAG).description("A FHIR R4 view of the same records, read and"
                    + " written (base `/fhir`, `application/fhir+json`): Patient and Condition writes, transaction and batch"
                    + " Bundles; errors are OperationOutcome resources"));
        }
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (!FhirErrors.isFhirPath(path.getKey()) || path.getValue().getOperations() == null) {
                continue;
            }
            for (Operation op : path.getValue().getOperations().values()) {
                complete(op);
            }
        }
    }

    private static void complete(Operation op) {
        if (op.getResponses() == null) {
            op.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = op.getResponses();
        ALWAYS.forEach((status, description) -> {
            if (!responses.hasAPIResponse(status)) {
                responses.addAPIResponse(status, error(description));
            }
        });
        boolean guarded = op.getSecurity() != null && !op.getSecurity().isEmpty();
        if (guarded && !responses.hasAPIResponse("401")) {
            responses.addAPIResponse("401", error("Missing or invalid token (`WWW-Authenticate: Bearer`)"));
        }
        for (Map.Entry<String, APIResponse> entry : Map.copyOf(responses.getAPIResponses()).entrySet()) {
            APIResponse response = entry.getValue();
            boolean failure = entry.getKey().startsWith("4") || entry.getKey().startsWith("5");
            if (failure && response.getRef() == null && response.getContent() == null) {
                String description = response.getDescription();
                if (description == null || "Not Authorized".equals(description)) {
                    description = "Missing or invalid token (`WWW-Authenticate: Bearer`)";
                } else if ("Not Allowed".equals(description)) {
                    description = "Signed in but not allowed";
                }
                responses.addAPIResponse(entry.getKey(), error(description));
            }
        }
    }

    private static APIResponse error(String description) {
        return OASFactory.createAPIResponse().ref(ERROR).description(description);
    }

    private static org.eclipse.microprofile.openapi.models.media.Content content(String description) {
        return OASFactory.createContent().addMediaType(Fhir.MEDIA_TYPE, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.OBJECT).description(description)
                        .addProperty("resourceType", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                        .addRequired("resourceType")));
    }
}
