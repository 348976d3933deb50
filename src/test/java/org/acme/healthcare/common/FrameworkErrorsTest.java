package org.acme.healthcare.common;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.newUser;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Errors the framework produces are problem documents too. */
@QuarkusTest
class FrameworkErrorsTest {

    @Test
    void unknownPathIs404Problem() {
        assertProblem(given().get("/no/such/path").then(), 404);
        assertProblem(given().get("/api/nothing-here").then(), 404);
        assertProblem(as(newUser()).get("/api/patients/1/extra").then(), 404);
    }

    @Test
    void wrongMethodIs405Problem() {
        assertProblem(given().delete("/api/auth/login").then(), 405);
        assertProblem(as(newUser()).patch("/api/patients").then(), 405);
    }

    @Test
    void wrongContentTypeIs415Problem() {
        assertProblem(given().contentType(ContentType.TEXT).body("{}").post("/api/auth/register").then(), 415);
        assertProblem(given().contentType(ContentType.XML).body("<a/>").post("/api/auth/login").then(), 415);
    }

    @Test
    void malformedJsonIs400Problem() {
        assertProblem(given().contentType(ContentType.JSON).body("{\"email\":").post("/api/auth/login").then(), 400);
        assertProblem(given().contentType(ContentType.JSON).body("[1,2]").post("/api/auth/login").then(), 400);
        assertProblem(given().contentType(ContentType.JSON).body("null").post("/api/auth/register").then(), 400);
    }
}
