package org.acme.healthcare.common;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.acme.healthcare.support.Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The edges of the HTTP contract: paging limits, links, caching and sniffing headers, metric tags. */
@QuarkusTest
class HttpEdgesTest {
    private static final String FORGED_HOST = "evil.example";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "/api/patients", "/api/doctors", "/api/mappings", "/api/users", "/api/audit" })
    void aPageWhoseOffsetOverflowsIs400NotAWrongPage(String list) {
        Api.TestUser admin = Api.admin();
        assertProblem(as(admin).queryParam("page", 5_000_000).queryParam("size", 500).get(list).then(), 400)
                .body("errors[0].field", equalTo("page"));
        // The last page that is allowed still answers (an empty page, not a 500 or a wrong one).
        as(admin).queryParam("page", PageParams.MAX_PAGE).queryParam("size", 500).get(list)
                .then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void locationAndLinkNeverComeFromTheHostHeader() {
        Api.TestUser user = Api.newUser();
        String location = as(user).header("Host", FORGED_HOST).body(Map.of("name", "Host Check"))
                .post("/api/patients").then().statusCode(201).extract().header("Location");
        assertTrue(location.startsWith("/api/patients/"), location);
        as(user).header("Host", FORGED_HOST).get("/api/patients?size=1&q=Host")
                .then().statusCode(200)
                .header("Link", not(containsString(FORGED_HOST)))
                .header("Link", startsWith("</api/patients?"));
        String registered = given().contentType(ContentType.JSON).header("Host", FORGED_HOST)
                .body(Map.of("name", "Host Check", "email", Api.uniqueEmail(), "password", Api.PASSWORD))
                .post("/api/auth/register").then().statusCode(201).extract().header("Location");
        assertTrue(registered.equals("/api/auth/me"), registered);
    }

    @Test
    void answersWithPatientDataTokensOrAccountsAreNotStored() {
        Api.TestUser user = Api.newUser();
        long id = Api.createPatient(user, "No Store");
        as(user).get("/api/patients/" + id).then().statusCode(200).header("Cache-Control", "no-store");
        as(user).get("/api/patients").then().statusCode(200).header("Cache-Control", "no-store");
        as(user).get("/api/auth/me").then().statusCode(200).header("Cache-Control", "no-store");
        given().contentType(ContentType.JSON).body(Map.of("email", user.email(), "password", Api.PASSWORD))
                .post("/api/auth/login").then().statusCode(200).header("Cache-Control", "no-store");
        as(user).get("/api/patients/999999999").then().statusCode(404).header("Cache-Control", "no-store");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "/q/health/ready", "/q/metrics", "/q/openapi", "/api/patients", "/api/nothing-here", "/nowhere" })
    void everyResponseForbidsSniffing(String path) {
        given().get(path).then().header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void problemsFromTheHttpLayerForbidSniffingToo() {
        given().contentType(ContentType.JSON).body("x".repeat(1_100_000)).post("/api/auth/login")
                .then().statusCode(413).header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-store");
    }

    @Test
    void rawPathsOfUnmatchedOrRefusedRequestsNeverBecomeMetricTags() {
        Api.TestUser admin = Api.admin();
        String marker = "metric-marker-" + System.nanoTime();
        as(admin).delete("/api/users/" + marker + "@x.test").then().statusCode(405);
        as(admin).patch("/api/users/" + marker).then();
        given().put("/api/auth/login/" + marker).then();
        given().get("/api/" + marker).then().statusCode(404);
        given().get("/" + marker).then().statusCode(404);
        as(admin).patch("/api/patients").then().statusCode(405);
        given().contentType(ContentType.JSON).body("x".repeat(1_100_000)).post("/api/" + marker + "/big").then().statusCode(413);
        given().get("/api/patients/" + marker).then().statusCode(401);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertFalse(metrics.contains(marker), () -> "a client-chosen path is a metric tag: "
                + String.join("\n", metrics.lines().filter(l -> l.contains(marker) && l.contains("_count")).toList()));
        assertTrue(metrics.contains("uri=\"/api/patients\""), "the route template stays");
    }
}
