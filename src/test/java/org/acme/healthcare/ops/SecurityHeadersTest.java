package org.acme.healthcare.ops;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.acme.healthcare.support.Api;
import org.acme.healthcare.support.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** One challenge per 401, and the framing and transport headers on every kind of answer. */
@QuarkusTest
class SecurityHeadersTest {

    private static void assertOneBearerChallenge(Response response) {
        assertEquals(401, response.statusCode(), response.asString());
        assertEquals(1, response.headers().getList("WWW-Authenticate").size(),
                () -> "one WWW-Authenticate header: " + response.headers().getList("WWW-Authenticate"));
        assertEquals("Bearer", response.header("WWW-Authenticate").split(" ")[0]);
    }

    @Test
    void aRequestWithoutATokenGetsOneChallenge() {
        assertOneBearerChallenge(given().get("/api/patients"));
        assertOneBearerChallenge(given().get("/api/auth/me"));
    }

    @Test
    void aBadOrExpiredTokenGetsOneChallenge() {
        assertOneBearerChallenge(Api.withToken("not.a.token").get("/api/patients"));
        assertOneBearerChallenge(Api.withToken(Tokens.expired(1)).get("/api/patients"));
        assertOneBearerChallenge(given().header("x-access-token", "garbage").get("/api/doctors"));
    }

    @Test
    void theTokenOfAnEndedSessionGetsOneChallenge() {
        Api.TestUser user = Api.newUser();
        as(user).post("/api/auth/logout").then().statusCode(204);
        assertOneBearerChallenge(as(user).get("/api/auth/me"));
    }

    @Test
    void fhirRoutesGetOneChallenge() {
        assertOneBearerChallenge(given().get("/fhir/Patient"));
        assertOneBearerChallenge(Api.withToken("not.a.token").get("/fhir/Patient/1"));
    }

    @Test
    void aRefusedRefreshOrLoginGetsAtMostOneChallenge() {
        Response refresh = given().contentType(ContentType.JSON).body(Map.of("refreshToken", "x".repeat(43)))
                .post("/api/auth/refresh");
        assertEquals(401, refresh.statusCode(), refresh.asString());
        assertEquals(1, refresh.headers().getList("WWW-Authenticate").size());
        Response login = given().contentType(ContentType.JSON)
                .body(Map.of("email", Api.uniqueEmail(), "password", Api.PASSWORD)).post("/api/auth/login");
        assertEquals(401, login.statusCode(), login.asString());
        assertEquals(1, login.headers().getList("WWW-Authenticate").size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "/api/patients", "/api/nothing-here", "/nowhere", "/fhir/Patient", "/q/health/ready",
            "/q/openapi", "/q/swagger-ui/" })
    void everyAnswerForbidsFraming(String path) {
        Response response = given().get(path);
        assertEquals("DENY", response.header("X-Frame-Options"), path);
        assertEquals("frame-ancestors 'none'", response.header("Content-Security-Policy"), path);
    }

    @Test
    void successesAndProblemsOfEveryLayerForbidFraming() {
        Api.TestUser user = Api.newUser();
        for (Response response : new Response[] {
                as(user).get("/api/auth/me"), // 200
                as(user).get("/api/patients/999999999"), // 404 from the service
                as(user).patch("/api/patients"), // 405 from the framework
                given().contentType(ContentType.JSON).body("x".repeat(1_100_000)).post("/api/auth/login") }) { // 413 from the router
            assertEquals("DENY", response.header("X-Frame-Options"), response.asString());
            assertEquals("frame-ancestors 'none'", response.header("Content-Security-Policy"), response.asString());
        }
    }

    @Test
    void withoutHealthcareHstsNoStrictTransportSecurity() {
        assertNull(given().get("/api/patients").header("Strict-Transport-Security"));
        assertNull(given().get("/q/health/live").header("Strict-Transport-Security"));
    }
}
