package org.acme.healthcare.support;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Test helpers: every test makes its own users and data, so no test depends on another or on ids. */
public final class Api {
    public static final String ADMIN_EMAIL = "root-admin@test.invalid";
    public static final String ADMIN_PASSWORD = "test-admin-password";
    public static final String PASSWORD = "correct horse battery";

    private Api() {
    }

    public record TestUser(long id, String email, String token) {
    }

    /** A JSON body from key, value pairs; unlike Map.of it takes null values (an explicit null clears a field). */
    public static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    public static String uniqueEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    public static TestUser newUser() {
        String email = uniqueEmail();
        long id = given().contentType(ContentType.JSON)
                .body(Map.of("name", "Test User", "email", email, "password", PASSWORD))
                .post("/api/auth/register")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        return new TestUser(id, email, login(email, PASSWORD));
    }

    public static TestUser admin() {
        var body = given().contentType(ContentType.JSON)
                .body(Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD))
                .post("/api/auth/login")
                .then().statusCode(200).extract().jsonPath();
        return new TestUser(body.getLong("user.id"), ADMIN_EMAIL, body.getString("token"));
    }

    public static String login(String email, String password) {
        return loginBody(email, password).getString("token");
    }

    /** A successful login's whole answer: token, refreshToken, user, ... */
    public static io.restassured.path.json.JsonPath loginBody(String email, String password) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password))
                .post("/api/auth/login")
                .then().statusCode(200).extract().jsonPath();
    }

    /** A request with this bearer token and a JSON body type. */
    public static RequestSpecification withToken(String token) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token);
    }

    /** A request as this user, with a JSON body type. */
    public static RequestSpecification as(TestUser user) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + user.token());
    }

    public static long createPatient(TestUser owner, String name) {
        return as(owner).body(Map.of("name", name)).post("/api/patients")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    public static long createDoctor(TestUser creator, String name, String specialization) {
        return as(creator).body(Map.of("name", name, "specialization", specialization)).post("/api/doctors")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** The body is an RFC 9457 problem document with this status, and carries no internals. */
    public static ValidatableResponse assertProblem(ValidatableResponse response, int status) {
        return response.statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("type", startsWith("urn:problem-type:healthcare:"))
                .body("title", notNullValue())
                .body("status", equalTo(status))
                .body("detail", notNullValue())
                .body("instance", startsWith("/"))
                .body(not(containsString("Exception")))
                .body(not(containsString("org.acme")))
                .body(not(containsString("SQL")));
    }
}
