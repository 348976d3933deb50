package org.acme.healthcare.common;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** No password, hash, token or clinical value reaches the log, even on failures. */
@QuarkusTest
class LogHygieneTest {

    @Test
    void secretsAndClinicalValuesNeverAppearInTheLog() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 12);
        String password = "pw-" + marker + "-secret";
        String email = "log-" + marker + "@example.com";
        given().contentType(ContentType.JSON).body(Map.of("name", "N", "email", email, "password", password))
                .post("/api/auth/register").then().statusCode(201);
        var login = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api/auth/login").then().statusCode(200).extract().jsonPath();
        String token = login.getString("token");
        String refreshToken = login.getString("refreshToken");
        // A refresh, a replay of the spent token (which is logged as an event, by ids), a password change.
        String next = given().contentType(ContentType.JSON).body(Map.of("refreshToken", refreshToken))
                .post("/api/auth/refresh").then().statusCode(200).extract().path("token");
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", refreshToken))
                .post("/api/auth/refresh").then().statusCode(401);
        String token2 = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api/auth/login").then().statusCode(200).extract().path("token");
        String newPassword = "new-" + marker + "-secret";
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token2)
                .body(Map.of("currentPassword", password + "wrong", "newPassword", newPassword))
                .post("/api/auth/password").then().statusCode(403);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token2)
                .body(Map.of("currentPassword", password, "newPassword", newPassword))
                .post("/api/auth/password").then().statusCode(204);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password + "x"))
                .post("/api/auth/login").then().statusCode(401);
        TestUser user = newUser();
        String disease = "Disease-" + marker;
        as(user).body(Map.of("name", "Name-" + marker, "disease", disease, "address", "Addr-" + marker))
                .post("/api/patients").then().statusCode(201);
        as(user).body(Map.of("name", "Name-" + marker, "age", "not a number " + marker)).post("/api/patients")
                .then().statusCode(400);
        given().header("Authorization", "Bearer " + token + "tampered").get("/api/auth/me").then().statusCode(401);

        String log = Files.readString(Path.of("target/quarkus-test.log"));
        assertFalse(log.contains(marker), "a value of this test reached the log");
        assertFalse(log.contains(token.substring(token.length() - 20)), "a token reached the log");
        assertFalse(log.contains(next.substring(next.length() - 20)), "a refreshed token reached the log");
        assertFalse(log.contains(refreshToken.substring(0, 16)), "a refresh token reached the log");
        assertFalse(log.contains(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(refreshToken.getBytes(java.nio.charset.StandardCharsets.UTF_8)))), "a refresh token's hash reached the log");
        assertFalse(log.contains("$2a$"), "a bcrypt hash reached the log");
    }
}
