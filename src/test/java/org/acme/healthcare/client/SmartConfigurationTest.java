package org.acme.healthcare.client;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.acme.healthcare.support.SmartClients;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** {@code GET /fhir/.well-known/smart-configuration}: public, exactly what the contract lists. */
@QuarkusTest
class SmartConfigurationTest {
    @Test
    void otherMethodsAndFormatsAreRefusedAsFhirErrors() {
        given().post("/fhir/.well-known/smart-configuration").then().statusCode(405)
                .contentType(startsWith("application/fhir+json")).body("resourceType", equalTo("OperationOutcome"));
        given().accept("application/xml").get("/fhir/.well-known/smart-configuration").then().statusCode(406)
                .contentType(startsWith("application/fhir+json"));
    }

    @Test
    void theConfigurationNamesTheTokenEndpointAndWhatItTakes() {
        for (String accept : List.of("application/json", "*/*", "application/fhir+json")) {
            given().accept(accept).get("/fhir/.well-known/smart-configuration").then().statusCode(200)
                    .contentType(startsWith("application/json"))
                    .body("token_endpoint", equalTo(SmartClients.AUDIENCE))
                    .body("token_endpoint_auth_methods_supported", equalTo(List.of("private_key_jwt")))
                    .body("token_endpoint_auth_signing_alg_values_supported", equalTo(List.of("RS384", "ES384")))
                    .body("grant_types_supported", equalTo(List.of("client_credentials")))
                    .body("scopes_supported", hasItems("system/*.rs", "system/*.read", "system/Patient.rs", "system/Condition.rs"))
                    .body("capabilities", equalTo(List.of("client-confidential-asymmetric", "permission-v2")));
        }
    }
}
