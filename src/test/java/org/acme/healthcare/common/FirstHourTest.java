package org.acme.healthcare.common;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * What a newcomer met in the first hour (issue 24, items 4 and 5): an unquoted If-Match, problem
 * instances that were not the route, the scheme written twice, differently worded "required"
 * messages, and a Swagger UI swamped by HAPI's model.
 */
@QuarkusTest
class FirstHourTest {
    // --- If-Match --------------------------------------------------------------------------------

    @Test
    void unquotedIfMatchIsA400ThatSaysHowToQuoteIt() {
        var owner = newUser();
        long id = createPatient(owner, "Quote Me");
        assertProblem(as(owner).header("If-Match", "0").body(Map.of("name", "Changed")).put("/api/patients/" + id).then(), 400)
                .body("detail", containsString("double quotes"))
                .body("detail", not(containsString("has changed")));
        assertProblem(as(owner).header("If-Match", "0").delete("/api/patients/" + id).then(), 400);
        // Nothing changed: the quoted form of the same tag still matches.
        as(owner).get("/api/patients/" + id).then().statusCode(200).body("name", equalTo("Quote Me"));
        as(owner).header("If-Match", "\"0\"").body(Map.of("name", "Changed")).put("/api/patients/" + id)
                .then().statusCode(200).header("ETag", equalTo("\"1\""));
        assertProblem(as(owner).header("If-Match", "\"0\"").delete("/api/patients/" + id).then(), 412);
    }

    // --- instance --------------------------------------------------------------------------------

    @Test
    void instanceIsTheRouteTemplateNeverTheRawPath() {
        var user = newUser();
        assertProblem(given().post("/api/auth/logout").then(), 401).body("instance", equalTo("/api/auth/logout"));
        assertProblem(given().get("/api/auth/sessions").then(), 401).body("instance", equalTo("/api/auth/sessions"));
        assertProblem(given().contentType(ContentType.JSON).body("{}").post("/api/auth/refresh").then(), 400)
                .body("instance", equalTo("/api/auth/refresh"));
        assertProblem(as(user).get("/api/patients/ZZ-ECHO-1").then(), 400)
                .body("instance", equalTo("/api/patients/{id}"));
        assertProblem(as(user).get("/api/patients/1/history/ZZ-ECHO-2").then(), 400)
                .body("instance", equalTo("/api/patients/{id}/history/{version}"));
        assertProblem(as(user).get("/api/mappings/patient/ZZ-ECHO-3").then(), 400)
                .body("instance", equalTo("/api/mappings/patient/{patientId}"));
        assertProblem(as(user).delete("/api/auth/sessions/ZZ-ECHO-4").then(), 400)
                .body(not(containsString("ZZ-ECHO")));
        // No route: a stand-in that never echoes the path either.
        assertProblem(as(user).get("/api/nothing-here/ZZ-ECHO-5").then(), 404)
                .body(not(containsString("ZZ-ECHO")));
    }

    // --- Bearer Bearer ---------------------------------------------------------------------------

    @Test
    void schemeWrittenTwiceGetsAHint() {
        var user = newUser();
        assertProblem(given().header("Authorization", "Bearer Bearer " + user.token()).get("/api/auth/me").then(), 401)
                .body("detail", containsString("\"Bearer\" twice"))
                .body(not(containsString(user.token())));
        assertProblem(given().header("Authorization", "Bearer not-a-token").get("/api/auth/me").then(), 401)
                .body("detail", not(containsString("twice")));
        as(user).get("/api/auth/me").then().statusCode(200);
    }

    // --- one wording per rule --------------------------------------------------------------------

    @Test
    void aMissingValueIsRequiredWhicheverAnnotationSaysSo() {
        assertProblem(given().contentType(ContentType.JSON).body("{}").post("/api/auth/register").then(), 400)
                .body("errors.message", everyItem(equalTo("is required")))
                .body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("email"))
                .body("errors.field", hasItem("password"));
        assertProblem(given().contentType(ContentType.JSON).body("{}").post("/api/auth/login").then(), 400)
                .body("errors.message", everyItem(equalTo("is required")));
        var user = newUser();
        assertProblem(as(user).body("{}").post("/api/mappings").then(), 400)
                .body("errors.message", everyItem(equalTo("is required")));
        assertProblem(as(user).body("{}").post("/api/patients").then(), 400)
                .body("errors.message", everyItem(equalTo("is required")));
    }

    // --- the OpenAPI document ---------------------------------------------------------------------

    private static JsonNode openApi() throws Exception {
        String json = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        return new ObjectMapper().readTree(json);
    }

    @Test
    void onlyTheApisOwnSchemas() throws Exception {
        JsonNode doc = openApi();
        List<String> names = new ArrayList<>();
        doc.path("components").path("schemas").fieldNames().forEachRemaining(names::add);
        for (String internal : List.of("GregorianCalendar", "Locale", "EnumFactory", "Bundle", "Narrative", "TimeZone")) {
            assertFalse(names.stream().anyMatch(n -> n.startsWith(internal)), internal + " in " + names);
        }
        // Every schema is used by an operation (directly or through another schema).
        String text = doc.toString();
        Set<String> referenced = new HashSet<>();
        Matcher m = Pattern.compile("#/components/schemas/([A-Za-z0-9_.-]+)").matcher(text);
        while (m.find()) {
            referenced.add(m.group(1));
        }
        List<String> unused = names.stream().filter(n -> !referenced.contains(n)).toList();
        assertEquals(List.of(), unused, "schemas no operation uses");
        // The API's own (46 with the system clients' six: Client, ClientRequest, TokenRequest, TokenResponse, OAuthError,
        // SmartConfiguration); a leak of library internals adds dozens.
        assertTrue(names.size() < 55, names.size() + " schemas: " + names);
        // FHIR routes: described by their media type and a link to the FHIR docs.
        assertEquals("#/components/responses/FhirResource", doc.at("/paths/~1fhir~1Patient~1{id}/get/responses/200/$ref").asText());
        JsonNode fhirResource = doc.at("/components/responses/FhirResource");
        assertTrue(fhirResource.path("content").has("application/fhir+json"), fhirResource.toString());
        assertTrue(fhirResource.toString().contains("https://hl7.org/fhir/R4/"), fhirResource.toString());
    }

    @Test
    void tagsInTheOrderANewcomerNeedsThem() throws Exception {
        JsonNode doc = openApi();
        List<String> tags = new ArrayList<>();
        doc.path("tags").forEach(t -> tags.add(t.path("name").asText()));
        assertEquals(List.of("Authentication", "Patients", "Conditions", "Doctors", "Mappings", "Organizations", "System clients", "FHIR",
                "Users", "Audit"), tags);
        List<String> paths = new ArrayList<>();
        doc.path("paths").fieldNames().forEachRemaining(paths::add);
        assertTrue(paths.indexOf("/api/auth/register") < paths.indexOf("/api/auth/login"), paths.toString());
        assertEquals("/api/auth/register", paths.get(0), paths.toString());
    }

    @Test
    void examplesWorkInTheReadmesOrder() throws Exception {
        JsonNode doc = openApi();
        String registerEmail = doc.at("/components/schemas/RegisterRequest/properties/email/examples/0").asText();
        assertFalse(registerEmail.isEmpty());
        // The README's walkthrough registers ada@example.com, the dev admin is admin@example.com.
        assertFalse(Set.of("ada@example.com", "admin@example.com").contains(registerEmail), registerEmail);
        // The register example's password passes the password rules (not common, not the email).
        String password = doc.at("/components/schemas/RegisterRequest/properties/password/examples/0").asText();
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "Example", "email", "x-" + System.nanoTime() + "-" + registerEmail, "password", password))
                .post("/api/auth/register").then().statusCode(201);
        // The Authorize dialog says how to paste the token.
        String scheme = doc.at("/components/securitySchemes/bearer/description").asText();
        assertTrue(scheme.contains("without") && scheme.contains("Bearer "), scheme);
        // Only 500s carry a correlationId: the 400 example does not.
        String badRequest = doc.at("/components/responses/BadRequest").toString();
        assertFalse(badRequest.contains("correlationId"), badRequest);
        assertTrue(doc.at("/components/responses/BadRequest/content/application~1problem+json/example/errors").isArray(), badRequest);
        for (String name : List.of("Unauthorized", "Forbidden", "NotFound", "Conflict", "PreconditionFailed", "ServiceUnavailable")) {
            JsonNode example = doc.at("/components/responses/" + name + "/content/application~1problem+json/example");
            assertTrue(example.isObject(), name);
            assertFalse(example.has("correlationId"), name);
        }
        assertTrue(doc.at("/components/responses/InternalError/content/application~1problem+json/example/correlationId").isTextual());
    }
}
