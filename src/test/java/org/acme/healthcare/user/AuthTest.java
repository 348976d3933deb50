package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.Api.uniqueEmail;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class AuthTest {

    private static io.restassured.response.ValidatableResponse register(Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/auth/register").then();
    }

    @Test
    void registerCreatesAPlainUserWhateverRoleIsSent() {
        String email = uniqueEmail();
        register(Map.of("name", "Ada", "email", "  " + email.toUpperCase() + " ", "password", PASSWORD, "role", "admin"))
                .statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/auth/me"))
                .body("id", notNullValue())
                .body("name", equalTo("Ada"))
                .body("email", equalTo(email))
                .body("role", equalTo("user"))
                .body("createdAt", notNullValue())
                .body("$", not(hasKey("password")))
                .body("$", not(hasKey("passwordHash")));
    }

    @Test
    void secondRegistrationWithSameEmailInAnyCaseIsConflict() {
        String email = uniqueEmail();
        register(Map.of("name", "A", "email", email, "password", PASSWORD)).statusCode(201);
        assertProblem(register(Map.of("name", "B", "email", " " + email.toUpperCase(), "password", PASSWORD)), 409);
    }

    @Test
    void passwordMustBe8To72BytesNeverTruncated() {
        assertProblem(register(Map.of("name", "A", "email", uniqueEmail(), "password", "short7!")), 400)
                .body("errors.field", hasItem("password"));
        // 36 two-byte characters: 36 characters but 72 bytes, accepted; one more is 74 bytes, refused.
        // (Not one character repeated: that is refused for another reason.)
        register(Map.of("name", "A", "email", uniqueEmail(), "password", "съешьжеещёэтихмягкихфранцузскихбулок")).statusCode(201);
        assertProblem(register(Map.of("name", "A", "email", uniqueEmail(), "password", "é".repeat(37))), 400)
                .body("errors.field", hasItem("password"));
        assertProblem(register(Map.of("name", "A", "email", uniqueEmail(), "password", "x".repeat(73))), 400);
    }

    @Test
    void registerReportsEveryBadField() {
        assertProblem(register(Map.of("email", "not-an-email", "password", "x")), 400)
                .body("errors.field", containsInAnyOrder("name", "email", "password"));
    }

    @Test
    void loginReturnsASignedTokenWithTheContractClaims() {
        TestUser user = newUser();
        JsonPath body = given().contentType(ContentType.JSON)
                .body(Map.of("email", "  " + user.email().toUpperCase(), "password", PASSWORD))
                .post("/api/auth/login")
                .then().statusCode(200)
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(3600))
                .body("user.id", equalTo((int) user.id()))
                .body("user.email", equalTo(user.email()))
                .extract().jsonPath();
        String token = body.getString("token");
        assertTrue(token.startsWith("eyJ"), "a JWT");
        JsonPath claims = new JsonPath(Tokens.payloadJson(token));
        assertEquals(Tokens.ISSUER, claims.getString("iss"));
        assertEquals(String.valueOf(user.id()), claims.getString("sub"));
        assertEquals(user.email(), claims.getString("upn"));
        assertEquals(java.util.List.of("user"), claims.getList("groups"));
        assertEquals(3600L, claims.getLong("exp") - claims.getLong("iat"));
        assertTrue(claims.getString("jti").length() > 8);
        String header = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0]));
        assertTrue(header.contains("\"RS256\""), header);
    }

    @Test
    void unknownEmailAndWrongPasswordLookTheSame() {
        TestUser user = newUser();
        var wrongPassword = given().contentType(ContentType.JSON)
                .body(Map.of("email", user.email(), "password", "not the password"))
                .post("/api/auth/login").then();
        var unknownEmail = given().contentType(ContentType.JSON)
                .body(Map.of("email", uniqueEmail(), "password", "not the password"))
                .post("/api/auth/login").then();
        assertProblem(wrongPassword, 401).header("WWW-Authenticate", "Bearer");
        assertProblem(unknownEmail, 401).header("WWW-Authenticate", "Bearer");
        assertEquals(wrongPassword.extract().asString(), unknownEmail.extract().asString());
    }

    @Test
    void meAcceptsBearerAndLegacyHeader() {
        TestUser user = newUser();
        given().header("Authorization", "Bearer " + user.token()).get("/api/auth/me")
                .then().statusCode(200).body("email", equalTo(user.email())).body("role", equalTo("user"));
        given().header("x-access-token", user.token()).get("/api/auth/me")
                .then().statusCode(200).body("id", equalTo((int) user.id()));
    }

    @Test
    void missingOrBadTokensAre401WithChallenge() {
        TestUser user = newUser();
        assertProblem(given().get("/api/auth/me").then(), 401).header("WWW-Authenticate", "Bearer");
        for (String bad : new String[] { "garbage", "a.b.c", Tokens.expired(user.id()), Tokens.otherIssuer(user.id()),
                Tokens.otherKey(user.id()), Tokens.algNone(user.id(), "admin"), Tokens.tampered(user.token()) }) {
            assertProblem(given().header("Authorization", "Bearer " + bad).get("/api/auth/me").then(), 401)
                    .header("WWW-Authenticate", "Bearer");
            assertProblem(given().header("x-access-token", bad).get("/api/patients").then(), 401);
        }
    }

    @Test
    void tamperedTokenCannotReachAdminRoutes() {
        TestUser user = newUser();
        assertProblem(given().header("Authorization", "Bearer " + Tokens.tampered(user.token())).get("/api/users").then(),
                401);
        assertProblem(given().header("Authorization", "Bearer " + Tokens.algNone(user.id(), "admin")).get("/api/users")
                .then(), 401);
    }

    @Test
    void loginNeedsBothFields() {
        assertProblem(given().contentType(ContentType.JSON).body(Map.of("email", "a@b.c")).post("/api/auth/login").then(),
                400).body("errors.field", hasItem("password"));
    }
}
