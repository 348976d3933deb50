package org.acme.healthcare.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** With HEALTHCARE_HSTS on (as in production), every answer asks browsers to keep to HTTPS. */
@QuarkusTest
@TestProfile(HstsOnTest.HstsOn.class)
class HstsOnTest {
    public static class HstsOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("healthcare.hsts", "true");
        }
    }

    static final String HSTS = "max-age=31536000; includeSubDomains";

    @Test
    void successesAndProblemsCarryStrictTransportSecurity() {
        for (Response response : new Response[] { given().get("/q/health/live"), given().get("/api/patients"),
                given().get("/nowhere"),
                given().contentType(ContentType.JSON).body("x".repeat(1_100_000)).post("/api/auth/login") }) {
            assertEquals(HSTS, response.header("Strict-Transport-Security"), response.statusLine());
        }
    }
}
