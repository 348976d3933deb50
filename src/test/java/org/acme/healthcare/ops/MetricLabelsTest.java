package org.acme.healthcare.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.healthcare.support.Api;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Clients cannot grow the metrics' uri labels: junk paths share one label, routes keep their template. */
@QuarkusTest
class MetricLabelsTest {
    private static final Pattern URI = Pattern.compile("^http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"", Pattern.MULTILINE);

    @Test
    void twoHundredJunkPathsAddNoLabels() {
        Api.TestUser user = Api.newUser();
        Set<String> before = uris();
        String marker = "junk" + System.nanoTime();
        for (int i = 0; i < 200; i++) {
            String junk = marker + "-" + i;
            switch (i % 10) {
                case 0 -> given().get("/" + junk);                                           // 404, no route
                case 1 -> given().get("/api/" + junk + "/x");                                 // 404 under /api
                case 2 -> Api.withToken("bad.token.here").get("/api/" + junk);               // 401 before routing
                case 3 -> given().get("/fhir/" + junk);                                       // FHIR's 404
                case 4 -> given().get("/q/" + junk);                                          // operations' 404
                case 5 -> given().contentType(ContentType.JSON).body("x".repeat(1_100_000)).post("/" + junk); // 413
                case 6 -> as(user).delete("/api/patients/" + junk + "/history/x");            // 404/405
                case 7 -> given().header("Accept", "application/xml").get("/fhir/Patient/" + junk); // 406 or 401
                case 8 -> given().options("/api/" + junk);                                    // OPTIONS
                default -> given().urlEncodingEnabled(false).get("/api/patients/%2e%2e/" + junk); // odd encodings
            }
        }
        as(user).get("/api/patients/1").then().statusCode(404);
        Set<String> after = uris();
        String all = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertFalse(all.contains(marker), () -> "a client-chosen path is a metric label: "
                + String.join("\n", all.lines().filter(l -> l.contains(marker)).limit(10).toList()));
        Set<String> added = new TreeSet<>(after);
        added.removeAll(before);
        assertTrue(added.size() <= 5, "junk requests add at most a handful of fixed labels: " + added);
        assertTrue(after.contains("/api/patients/{id}"), "templated routes keep their template: " + after);
    }

    private static io.restassured.specification.RequestSpecification as(Api.TestUser user) {
        return Api.as(user);
    }

    private static Set<String> uris() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> uris = new TreeSet<>();
        Matcher m = URI.matcher(metrics);
        while (m.find()) {
            uris.add(m.group(1));
        }
        return uris;
    }
}
