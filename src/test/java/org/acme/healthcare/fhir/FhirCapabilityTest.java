package org.acme.healthcare.fhir;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.fhir.FhirTest.fhir;
import static org.acme.healthcare.fhir.FhirTest.ok;
import static org.acme.healthcare.fhir.FhirTest.outcome;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.createDoctor;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.acme.healthcare.support.Api.TestUser;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The CapabilityStatement against the service: every interaction and search parameter it lists
 * works (200 with a valid US Core answer), and what it does not list does not: the other
 * interactions are 404/405, US Core's other search parameters of those types are 400, other
 * resource types 404. A parameter added to the statement without a probe here fails the test.
 */
@QuarkusTest
class FhirCapabilityTest {
    private static final List<String> INTERACTIONS = List.of("read", "vread", "search-type", "create", "update", "delete",
            "history-instance", "history-type");

    @Test
    void everyListedInteractionAndSearchParameterWorksAndNoOther() throws IOException {
        TestUser owner = newUser();
        long org = as(owner).body(Map.of("name", "Capability Clinic")).post("/api/organizations")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long patient = as(owner).body(Map.of("name", "Cap Patient", "disease", "Flu", "organizationId", org,
                "familyName", "Capfamily", "givenNames", List.of("Capgiven"), "birthDate", "1980-05-06",
                "identifiers", List.of(Map.of("system", "http://clinic.example/mrn", "value", "CAP-" + org))))
                .post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
        long condition = as(owner).body(Map.of("code", Map.of("system", "http://snomed.info/sct", "code", "44054006"),
                "category", "problem-list-item", "clinicalStatus", "active"))
                .post("/api/patients/" + patient + "/conditions").then().statusCode(201).extract().jsonPath().getLong("id");
        long doctor = createDoctor(owner, "Dr Cap", "Cardiology");
        as(owner).body(Map.of("patientId", patient, "doctorId", doctor)).post("/api/mappings").then().statusCode(201);

        Map<String, String> ids = Map.of("Patient", String.valueOf(patient), "Practitioner", String.valueOf(doctor),
                "Organization", String.valueOf(org), "CareTeam", String.valueOf(patient), "Condition", "d" + patient);
        // A value for each search parameter that finds the records above.
        Map<String, String> values = new HashMap<>(Map.of("Patient._id", String.valueOf(patient),
                "Patient.identifier", "http://clinic.example/mrn|CAP-" + org, "Patient.name", "cap",
                "Patient.gender", "unknown", "Patient.organization", "Organization/" + org, "Practitioner.name", "cap",
                "CareTeam.patient", "Patient/" + patient, "Condition.patient", String.valueOf(patient)));
        values.putAll(Map.of("Patient.family", "capfam", "Patient.given", "capgiven", "Patient.birthdate", "1980-05",
                "Condition.category", "problem-list-item", "Condition.clinical-status", "active",
                "Condition.code", "http://snomed.info/sct|44054006"));
        // Searches that need the patient.
        Set<String> ofPatient = Set.of("CareTeam", "Condition");

        // The writes' probes: valid bodies that keep what the searches below look for, and records of their own to delete.
        String patientBody = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"http://clinic.example/mrn\","
                + "\"value\":\"CAP-" + org + "\"}],\"name\":[{\"text\":\"Cap Patient\",\"family\":\"Capfamily\",\"given\":"
                + "[\"Capgiven\"]}],\"gender\":\"unknown\",\"birthDate\":\"1980-05-06\",\"managingOrganization\":"
                + "{\"reference\":\"Organization/" + org + "\"}";
        String conditionBody = "{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"Patient/" + patient + "\"},"
                + "\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-category\","
                + "\"code\":\"problem-list-item\"}]}],\"clinicalStatus\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"active\"}]},\"code\":{\"coding\":"
                + "[{\"system\":\"http://snomed.info/sct\",\"code\":\"44054006\"}]}";
        long spare = as(owner).body(Map.of("name", "Spare")).post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
        long spareCondition = as(owner).body(Map.of("text", "Spare")).post("/api/patients/" + patient + "/conditions")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        Map<String, String[]> writes = Map.of(
                "Patient", new String[] { patientBody.replace("CAP-" + org, "CAP-NEW-" + org) + "}",
                        patientBody + ",\"id\":\"" + patient + "\"}", String.valueOf(patient), String.valueOf(spare) },
                "Condition", new String[] { conditionBody + "}", conditionBody + ",\"id\":\"" + condition + "\"}",
                        String.valueOf(condition), String.valueOf(spareCondition) });

        JsonPath cs = ok(given().get("/fhir/metadata"), "CapabilityStatement");
        assertEquals(List.of("transaction", "batch"), cs.getList("rest[0].interaction.code"));
        List<Map<String, Object>> resources = cs.getList("rest[0].resource");
        Map<String, List<String>> listedParams = new HashMap<>();
        for (int i = 0; i < resources.size(); i++) {
            String type = cs.getString("rest[0].resource[" + i + "].type");
            List<String> listedInteractions = cs.getList("rest[0].resource[" + i + "].interaction.code");
            // A Group has none (only its export operation).
            List<String> interactions = listedInteractions == null ? List.of() : listedInteractions;
            List<String> params = cs.getList("rest[0].resource[" + i + "].searchParam.name");
            if (interactions.contains("search-type")) {
                listedParams.put(type, params == null ? List.of() : params);
            }
            if (type.equals("Group")) {
                // Only exported (Bulk Data's group-export): no interaction, so no profile of its own.
                assertEquals(List.of("group-export"), cs.getList("rest[0].resource[" + i + "].operation.name"));
                assertEquals(null, listedInteractions);
            } else {
                assertTrue(cs.getString("rest[0].resource[" + i + "].supportedProfile[0]").startsWith(UsCoreValidator.US_CORE), type);
            }
            String id = ids.get(type);
            for (String interaction : INTERACTIONS) {
                boolean listed = interactions.contains(interaction);
                int status = probe(owner, type, id, interaction, ofPatient.contains(type) ? "patient=" + patient : "",
                        writes.get(type));
                if (listed) {
                    assertTrue(status >= 200 && status < 300, type + " " + interaction + " is listed, yet " + status);
                } else if (interaction.equals("history-type") && interactions.contains("read")) {
                    // /fhir/Patient/_history reaches the read, whose id "_history" is not an id.
                    assertTrue(status == 400 || status == 404 || status == 405, type + " " + interaction + ": " + status);
                } else {
                    assertTrue(status == 404 || status == 405, type + " " + interaction + " is not listed, yet " + status);
                }
            }
            for (String param : listedParams.getOrDefault(type, List.of())) {
                String value = values.remove(type + "." + param);
                assertTrue(value != null, "no probe for " + type + "." + param + ": add one");
                var search = fhir(owner).queryParam(param, value);
                if (ofPatient.contains(type) && !param.equals("patient")) {
                    search = search.queryParam("patient", patient);
                }
                JsonPath bundle = ok(search.get("/fhir/" + type), "Bundle");
                assertTrue(bundle.getInt("total") >= 1, type + "?" + param + "=" + value + " found nothing");
            }
        }
        assertEquals(Map.of(), values, "probes of parameters the statement does not list");

        // US Core's other search parameters of the searchable types: 400, never silently ignored
        // (a type without search-type has no search at all: its search is the 404/405 above).
        for (String[] sp : usCoreSearchParameters()) {
            if (listedParams.containsKey(sp[0]) && !listedParams.get(sp[0]).contains(sp[1])) {
                var search = fhir(owner).queryParam(sp[1], "x");
                if (ofPatient.contains(sp[0])) {
                    search = search.queryParam("patient", patient);
                }
                outcome(search.get("/fhir/" + sp[0]), 400);
            }
        }
        // The Bulk Data operations it declares answer a kick-off (export/ExportTest tests them in full).
        assertEquals(List.of("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"), cs.getList("instantiates"));
        assertEquals(List.of("export"), cs.getList("rest[0].operation.name"));
        assertEquals(List.of("patient-export"), cs.getList("rest[0].resource[0].operation.name"));
        for (String operation : List.of("/fhir/$export", "/fhir/Patient/$export", "/fhir/Group/" + org + "/$export")) {
            fhir(owner).accept("application/fhir+json").header("Prefer", "respond-async").get(operation).then().statusCode(202);
        }
        for (String type : List.of("Observation", "Encounter", "PractitionerRole", "Location")) {
            outcome(fhir(owner).get("/fhir/" + type), 404);
        }
    }

    /** The HTTP status of one interaction on one resource type. */
    private static int probe(TestUser user, String type, String id, String interaction, String required, String[] writes) {
        String base = "/fhir/" + type;
        var request = fhir(user).urlEncodingEnabled(false).contentType("application/fhir+json");
        if (writes != null && Set.of("create", "update", "delete").contains(interaction)) {
            // {create body, update body, id to update, id to delete}
            return switch (interaction) {
            case "create" -> request.body(writes[0]).post(base).statusCode();
            case "update" -> request.body(writes[1]).put(base + "/" + writes[2]).statusCode();
            default -> request.delete(base + "/" + writes[3]).statusCode();
            };
        }
        return switch (interaction) {
        case "read" -> request.get(base + "/" + id).statusCode();
        case "vread" -> request.get(base + "/" + id + "/_history/0").statusCode();
        case "search-type" -> request.get(base + (required.isEmpty() ? "" : "?" + required)).statusCode();
        case "create" -> request.body("{\"resourceType\":\"" + type + "\"}").post(base).statusCode();
        case "update" -> request.body("{\"resourceType\":\"" + type + "\",\"id\":\"" + id + "\"}").put(base + "/" + id)
                .statusCode();
        case "delete" -> request.delete(base + "/" + id).statusCode();
        case "history-instance" -> request.get(base + "/" + id + "/_history").statusCode();
        case "history-type" -> request.get(base + "/_history").statusCode();
        default -> throw new IllegalArgumentException(interaction);
        };
    }

    /** {type, code} of every search parameter US Core 6.1.0 defines. */
    private static List<String[]> usCoreSearchParameters() throws IOException {
        NpmPackage usCore;
        try (InputStream in = FhirCapabilityTest.class.getClassLoader()
                .getResourceAsStream(UsCoreValidator.FOLDER + "/hl7.fhir.us.core-6.1.0.tgz")) {
            usCore = NpmPackage.fromPackage(in);
        }
        List<String[]> found = new ArrayList<>();
        for (String file : usCore.listResources("SearchParameter")) {
            try (InputStream in = usCore.load("package", file)) {
                JsonPath sp = JsonPath.from(in);
                for (String base : sp.<String> getList("base")) {
                    found.add(new String[] { base, sp.getString("code") });
                }
            }
        }
        assertTrue(found.size() > 50, "US Core's search parameters: " + found.size());
        return found;
    }

    @Test
    void securityNamesSmartOnFhirAndTheTokenEndpoint() {
        JsonPath cs = ok(given().get("/fhir/metadata"), "CapabilityStatement");
        assertTrue(cs.getList("rest[0].security.service.coding.code.flatten()").contains("SMART-on-FHIR"), cs.prettify());
        assertEquals("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris", cs.getString("rest[0].security.extension[0].url"));
        assertEquals("token", cs.getString("rest[0].security.extension[0].extension[0].url"));
        assertEquals("https://healthcare-api.test/auth/token", cs.getString("rest[0].security.extension[0].extension[0].valueUri"));
        // The authorization endpoint the extension must name: it refuses, in OAuth's terms.
        assertEquals("authorize", cs.getString("rest[0].security.extension[0].extension[1].url"));
        assertEquals("https://healthcare-api.test/auth/authorize", cs.getString("rest[0].security.extension[0].extension[1].valueUri"));
        given().queryParam("response_type", "code").queryParam("client_id", "x").get("/auth/authorize").then().statusCode(400)
                .contentType(org.hamcrest.Matchers.startsWith("application/json"))
                .body("error", org.hamcrest.Matchers.equalTo("unsupported_response_type"));
        given().post("/auth/authorize").then().statusCode(405).contentType(org.hamcrest.Matchers.startsWith("application/json"))
                .body("error", org.hamcrest.Matchers.equalTo("invalid_request"));
    }
}
