package org.acme.healthcare.common;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.newUser;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class LimitsTest {

    @Test
    void bodyOverOneMebibyteIs413Problem() {
        String big = "{\"name\":\"" + "x".repeat(1024 * 1024) + "\"}";
        assertProblem(as(newUser()).body(big).post("/api/patients").then(), 413);
        assertProblem(given().contentType(ContentType.JSON).body(big).post("/api/auth/register").then(), 413);
    }

    @Test
    void chunkedBodyOverTheLimitIs413ProblemAndASmallOneStillWorks() throws Exception {
        // HTTP/1.1: a plain-text h2c upgrade request with a body takes a different path in Netty.
        var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        java.util.function.Function<byte[], java.net.http.HttpResponse<String>> send = bytes -> {
            try {
                // An InputStream publisher has no length, so the body goes out chunked.
                var request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                                + "/api/auth/register"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)))
                        .build();
                return client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        String email = org.acme.healthcare.support.Api.uniqueEmail();
        var small = send.apply(("{\"name\":\"C\",\"email\":\"" + email + "\",\"password\":\"limits test password\"}").getBytes());
        org.junit.jupiter.api.Assertions.assertEquals(201, small.statusCode(), small.body());
        var big = send.apply(("{\"name\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}").getBytes());
        org.junit.jupiter.api.Assertions.assertEquals(413, big.statusCode());
        org.junit.jupiter.api.Assertions.assertTrue(
                big.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), big.headers().toString());
        org.junit.jupiter.api.Assertions.assertTrue(big.body().contains("\"status\":413"), big.body());
    }

    @Test
    void deepNestingIs400Problem() {
        String deep = "{\"name\":\"A\",\"x\":" + "[".repeat(200) + "]".repeat(200) + "}";
        assertProblem(as(newUser()).body(deep).post("/api/patients").then(), 400);
    }

    @Test
    void invalidUtf8Is400Problem() {
        byte[] body = new byte[] { '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}' };
        assertProblem(as(newUser()).body(body).post("/api/patients").then(), 400);
    }

    @Test
    void overlongUtf8IsRefusedNotDecodedAsASlash() {
        // C0 AF is an overlong encoding of '/'; a lenient decoder would store "ab/cd".
        byte[] body = new byte[] { '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', 'a', 'b', (byte) 0xC0, (byte) 0xAF, 'c', 'd',
                '"', '}' };
        assertProblem(as(newUser()).body(body).post("/api/patients").then(), 400);
        byte[] inIgnoredField = new byte[] { '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', 'A', '"', ',', '"', 'x', '"', ':',
                '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}' };
        assertProblem(as(newUser()).body(inIgnoredField).post("/api/patients").then(), 400);
    }

    @Test
    void loneSurrogateIsRefusedNotStoredAsQuestionMark() {
        assertProblem(as(newUser()).body("{\"name\":\"x\\ud800\"}").post("/api/patients").then(), 400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("name"));
        as(newUser()).body("{\"name\":\"ok \\ud83d\\ude00\"}").post("/api/patients").then().statusCode(201)
                .body("name", org.hamcrest.Matchers.equalTo("ok \ud83d\ude00"));
    }

    @Test
    void problemInstanceNeverEchoesThePath() {
        assertProblem(as(newUser()).get("/api/patients/ZZ-ECHO-1").then(), 400)
                .body("instance", org.hamcrest.Matchers.equalTo("/api/patients/{id}")).body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("ZZ-ECHO")));
        assertProblem(as(newUser()).get("/api/patients/" + Long.MAX_VALUE).then(), 404)
                .body("instance", org.hamcrest.Matchers.equalTo("/api/patients/{id}"));
    }

    @Test
    void nulCharacterInAQueryIs400NotA500() {
        assertProblem(as(newUser()).queryParam("q", "a\u0000b").get("/api/patients").then(), 400);
    }
}
