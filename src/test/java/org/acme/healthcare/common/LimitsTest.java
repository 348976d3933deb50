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
    void nulCharacterInAQueryIs400NotA500() {
        assertProblem(as(newUser()).queryParam("q", "a\u0000b").get("/api/patients").then(), 400);
    }
}
