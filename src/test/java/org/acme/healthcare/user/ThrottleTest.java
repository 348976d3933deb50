package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.Api.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Failed logins per email (limit 5 in every profile) are throttled with 429 before bcrypt runs. */
@QuarkusTest
class ThrottleTest {

    static ValidatableResponse login(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api/auth/login").then();
    }

    @Test
    void fiveFailuresBlockTheEmailEvenWithTheRightPassword() {
        TestUser user = newUser();
        for (int i = 0; i < 5; i++) {
            assertProblem(login(user.email(), "wrong password " + i), 401);
        }
        var blocked = assertProblem(login(user.email(), PASSWORD), 429);
        long retryAfter = Long.parseLong(blocked.extract().header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 15 * 60, "Retry-After " + retryAfter);
        // Another account from the same client is not affected by this email's count.
        login(newUser().email(), PASSWORD).statusCode(200);
    }

    @Test
    void throttlingDoesNotRevealWhetherAnAccountExists() {
        TestUser user = newUser();
        String unknown = uniqueEmail();
        for (int i = 0; i < 5; i++) {
            login(user.email(), "wrong-password");
            login(unknown, "wrong-password");
        }
        String known = assertProblem(login(user.email(), "wrong-password"), 429).extract().jsonPath().getString("detail");
        String missing = assertProblem(login(unknown, "wrong-password"), 429).extract().jsonPath().getString("detail");
        assertEquals(known, missing);
    }

    @Test
    void successfulLoginResetsTheEmailCount() {
        TestUser user = newUser();
        for (int i = 0; i < 4; i++) {
            login(user.email(), "wrong-password").statusCode(401);
        }
        login(user.email(), PASSWORD).statusCode(200);
        for (int i = 0; i < 4; i++) {
            login(user.email(), "wrong-password").statusCode(401);
        }
        login(user.email(), PASSWORD).statusCode(200);
    }

    @Test
    void emailsAreCountedCaseInsensitively() {
        TestUser user = newUser();
        for (int i = 0; i < 5; i++) {
            login(i % 2 == 0 ? user.email().toUpperCase() : " " + user.email(), "wrong-password").statusCode(401);
        }
        assertProblem(login(user.email(), PASSWORD), 429);
    }
}
