package org.acme.healthcare.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Health, metrics, Swagger UI and the OpenAPI document, as an operator and a client see them. */
@QuarkusTest
class OperationsEndpointsTest {
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    @Test
    void readinessIncludesTheDatabaseAndLivenessDoesNot() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"));
        // A database outage must take the pod out of the Service, not restart it.
        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", not(hasItem("Database connections health check")));
        given().when().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void httpMetricsAreTaggedWithTheRouteTemplateNotTheRawId() {
        given().when().get("/api/patients/987654321").then().statusCode(401);
        given().header("Authorization", "Bearer not.a.token").when().get("/api/doctors/876543219").then().statusCode(401);
        given().when().get("/api/mappings/patient/765432198").then().statusCode(401);
        given().when().get("/api/no-such-route/654321987").then().statusCode(404);
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("uri=\"/api/patients/{id}\""), "templated patient route");
        assertTrue(metrics.contains("uri=\"/api/doctors/{id}\""), "templated doctor route, even when authentication fails");
        assertTrue(metrics.contains("uri=\"/api/mappings/patient/{patientId}\""), "templated mapping route");
        for (String raw : List.of("987654321", "876543219", "765432198", "654321987")) {
            assertFalse(metrics.contains(raw), "a raw id in a metric tag: " + raw);
        }
    }

    @Test
    void swaggerUiIsServed() {
        given().when().get("/q/swagger-ui/")
                .then().statusCode(200)
                .body(containsString("swagger-ui"));
    }

    @Test
    void everyOperationIsDocumentedWithProblemErrorsAndTheBearerScheme() {
        JsonPath doc = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("http", doc.getString("components.securitySchemes.bearer.type"));
        assertEquals("bearer", doc.getString("components.securitySchemes.bearer.scheme"));
        assertEquals("JWT", doc.getString("components.securitySchemes.bearer.bearerFormat"));
        Map<String, Map<String, Object>> componentResponses = doc.getMap("components.responses");

        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        List<String> problems = new ArrayList<>();
        int operations = 0;
        for (var path : paths.entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (var entry : path.getValue().entrySet()) {
                if (!METHODS.contains(entry.getKey())) {
                    continue;
                }
                operations++;
                String where = entry.getKey().toUpperCase() + " " + path.getKey();
                @SuppressWarnings("unchecked")
                Map<String, Object> op = entry.getValue();
                if (op.get("summary") == null || op.get("summary").toString().isBlank()) {
                    problems.add(where + ": no summary");
                }
                if (op.get("operationId") == null) {
                    problems.add(where + ": no operationId");
                }
                boolean open = path.getKey().equals("/api/auth/login") || path.getKey().equals("/api/auth/register")
                        || path.getKey().equals("/api/auth/refresh");
                if (!open && !String.valueOf(op.get("security")).contains("bearer")) {
                    problems.add(where + ": no bearer security requirement");
                }
                if (path.getKey().contains("{") && !String.valueOf(op.get("parameters")).contains("in=path")) {
                    problems.add(where + ": path parameter not documented");
                }
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> parameters = (List<Map<String, Object>>) op.getOrDefault("parameters", List.of());
                for (Map<String, Object> parameter : parameters) {
                    Object schema = parameter.get("schema");
                    if (!(schema instanceof Map<?, ?> s) || !(s.containsKey("type") || s.containsKey("$ref"))) {
                        problems.add(where + ": parameter " + parameter.get("name") + " has no typed schema");
                    }
                }
                @SuppressWarnings("unchecked")
                Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) op.get("responses");
                if (!responses.containsKey("500")) {
                    problems.add(where + ": no 500");
                }
                if (!responses.containsKey("503")) {
                    problems.add(where + ": no 503 (database timeout, saturation)");
                }
                for (var response : responses.entrySet()) {
                    if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                        Map<String, Object> body = response.getValue();
                        Object ref = body.get("$ref");
                        if (ref != null) {
                            body = componentResponses.get(ref.toString().substring(ref.toString().lastIndexOf('/') + 1));
                        }
                        if (body == null || !String.valueOf(body.get("content")).contains("application/problem+json")
                                || !String.valueOf(body.get("content")).contains("#/components/schemas/Problem")) {
                            problems.add(where + " " + response.getKey() + ": not a problem document");
                        }
                    }
                }
                if (op.containsKey("requestBody") && !responses.containsKey("413")) {
                    problems.add(where + ": takes a body but documents no 413");
                }
            }
        }
        assertTrue(operations >= 20, "operations found: " + operations);
        assertEquals(List.of(), problems);
    }

    @Test
    void listsDocumentTheirPagingHeaders() {
        JsonPath doc = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        for (String path : List.of("/api/patients", "/api/doctors", "/api/mappings", "/api/users")) {
            Map<String, Object> headers = doc.getMap("paths.'" + path + "'.get.responses.'200'.headers");
            assertTrue(headers.containsKey("X-Total-Count"), path);
            assertTrue(headers.containsKey("Link"), path);
        }
    }

    @Test
    void schemasCarryExamples() {
        JsonPath doc = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        for (String schema : List.of("Patient", "PatientRequest", "Doctor", "DoctorRequest", "User", "LoginResponse",
                "Mapping", "AssignedDoctor", "RegisterRequest", "LoginRequest", "MappingRequest")) {
            Map<String, Map<String, Object>> properties = doc.getMap("components.schemas." + schema + ".properties");
            assertFalse(properties == null || properties.isEmpty(), schema);
            for (var property : properties.entrySet()) {
                Map<String, Object> p = property.getValue();
                boolean exampled = p.containsKey("examples") || p.containsKey("example") || p.containsKey("$ref")
                        || String.valueOf(p.get("format")).equals("date-time") || p.containsKey("allOf")
                        || p.containsKey("enum");
                assertTrue(exampled, schema + "." + property.getKey() + " has no example");
            }
        }
    }
}
