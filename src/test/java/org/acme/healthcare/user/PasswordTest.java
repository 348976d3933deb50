package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.loginBody;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.Api.uniqueEmail;
import static org.acme.healthcare.support.Api.withToken;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** Password rules at register, login and password change; the password change itself. */
@QuarkusTest
class PasswordTest {
    static final String NEW_PASSWORD = "purple monkey dishwasher lamp";

    static ValidatableResponse register(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("name", "P", "email", email, "password", password))
                .post("/api/auth/register").then();
    }

    static ValidatableResponse login(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api/auth/login").then();
    }

    static ValidatableResponse change(String token, String current, String next) {
        return withToken(token).body(Map.of("currentPassword", current, "newPassword", next)).post("/api/auth/password").then();
    }

    @ParameterizedTest
    @ValueSource(strings = { "12345678", "password1", "Password1", "PASSWORD1", "iloveyou1", "qwertyuiop" })
    void commonPasswordsAreRefusedAtRegister(String common) {
        assertProblem(register(uniqueEmail(), common), 400).body("errors.field", hasItem("password"));
    }

    /** The outside review's five, each accepted before issue 17. */
    @ParameterizedTest
    @ValueSource(strings = { "abcdefgh", "12341234", "aaaaaaaaaaaa", "healthcare", "Welcome1!" })
    void theReviewsGuessablePasswordsAreRefusedAtRegisterAndAtPasswordChange(String guessable) {
        String atRegister = assertProblem(register(uniqueEmail(), guessable), 400)
                .body("errors.field", hasItem("password")).extract().path("errors[0].message");
        TestUser user = newUser();
        assertProblem(change(user.token(), PASSWORD, guessable), 400)
                .body("errors.field", hasItem("newPassword"))
                .body("errors.find { it.field == 'newPassword' }.message", equalTo(atRegister));
        login(user.email(), PASSWORD).statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // one character repeated, in any script or case
            "aaaaaaaa", "ZZZZZZZZZZ", "11111111", "!!!!!!!!", "        ", "\u00E9\u00E9\u00E9\u00E9\u00E9\u00E9\u00E9\u00E9",
            // runs, up and down, letters and digits (after 9 comes 0), fullwidth too
            "12345678", "23456789", "0123456789", "7890123456", "87654321", "98765432", "abcdefgh", "ABCDEFGHIJ",
            "hgfedcba", "zyxwvutsrq", "\uFF41\uFF42\uFF43\uFF44\uFF45\uFF46\uFF47\uFF48",
            // a shorter password repeated
            "12341234", "abcabcabc", "passwordpassword", "PasswordPASSWORD", "qwerqwerqwer", "xy12xy12xy12",
            // the service's name and healthcare, with or without digits, symbols and spaces around or inside
            "healthcare", "HEALTHCARE", "Healthcare2024!", "!healthcare!", "2024healthcare", "health-care",
            "health care 1", "healthcare-api", "Healthcare API", "#healthcareapi99", "\uFF48ealthcare",
            // a common password with a few digits or symbols around it
            "Welcome1!", "welcome2024", "Password2024!", "!!sunshine!!", "2020monkey" })
    void guessablePasswordsAreRefusedAtRegister(String guessable) {
        assertProblem(register(uniqueEmail(), guessable), 400).body("errors.field", hasItem("password"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "87654321", "passwordpassword", "Healthcare2024!", "aaaaaaaaaaaa" })
    void guessablePasswordsAreRefusedAtPasswordChange(String guessable) {
        TestUser user = newUser();
        assertProblem(change(user.token(), PASSWORD, guessable), 400).body("errors.field", hasItem("newPassword"));
        login(user.email(), PASSWORD).statusCode(200);
    }

    /** The rules are not broader than they say: passphrases, random strings, words with long decorations. */
    @ParameterizedTest
    @ValueSource(strings = { "correct horse battery staple", "purple monkey dishwasher lamp", "Tr0ub4dor&3x",
            "xK9#mQ2$vLp7", "my healthcare password is long", "sunshine-and-rain-at-noon", "abcdefgX",
            "4839201758abc", "\u0431\u043E\u0440\u0449 \u0438 \u043A\u0430\u0448\u0430 \u0437\u0438\u043C\u043E\u0439" })
    void strongPasswordsAreStillAccepted(String strong) {
        String email = uniqueEmail();
        register(email, strong).statusCode(201);
        login(email, strong).statusCode(200);
        TestUser user = newUser();
        change(user.token(), PASSWORD, strong).statusCode(204);
    }

    @Test
    void theEmailOrItsLocalPartIsRefusedAsPassword() {
        String local = "pw-owner-" + System.nanoTime();
        String email = local + "@example.com";
        assertProblem(register(email, email), 400).body("errors.field", hasItem("password"));
        assertProblem(register(email, local.toUpperCase()), 400).body("errors.field", hasItem("password"));
        register(email, PASSWORD).statusCode(201);
    }

    @Test
    void theListHoldsAtLeastTenThousandPasswords() {
        assertTrue(PasswordPolicy.listSize() >= 10_000, "size " + PasswordPolicy.listSize());
    }

    @Test
    void loginRefusesAPasswordOver72BytesInsteadOfCheckingItsFirst72() {
        String email = uniqueEmail();
        String password72 = "an unrepeated passphrase, exactly seventy-two bytes long, for bcrypt: ok"; // 72 bytes
        register(email, password72).statusCode(201);
        login(email, password72).statusCode(200);
        assertProblem(login(email, password72 + "anything"), 400).body("errors.field", hasItem("password"));
        assertProblem(login(email, password72 + "x"), 400);
    }

    @Test
    void changingThePasswordEndsEveryOtherSession() {
        TestUser user = newUser();
        JsonPath other = loginBody(user.email(), PASSWORD);
        JsonPath current = loginBody(user.email(), PASSWORD);
        change(current.getString("token"), PASSWORD, NEW_PASSWORD).statusCode(204);
        assertProblem(withToken(other.getString("token")).get("/api/auth/me").then(), 401);
        assertProblem(withToken(user.token()).get("/api/auth/me").then(), 401);
        assertProblem(SessionTest.refresh(other.getString("refreshToken")), 401);
        // The session that changed it goes on, refresh included.
        withToken(current.getString("token")).get("/api/auth/me").then().statusCode(200);
        SessionTest.refresh(current.getString("refreshToken")).statusCode(200);
        assertProblem(login(user.email(), PASSWORD), 401);
        login(user.email(), NEW_PASSWORD).statusCode(200);
    }

    @Test
    void aWrongCurrentPasswordIsForbiddenAndChangesNothing() {
        TestUser user = newUser();
        assertProblem(change(user.token(), "not-my-password", NEW_PASSWORD), 403);
        login(user.email(), PASSWORD).statusCode(200);
        withToken(user.token()).get("/api/auth/me").then().statusCode(200);
    }

    @Test
    void wrongCurrentPasswordsCountAsFailedLogins() {
        TestUser user = newUser();
        for (int i = 0; i < 5; i++) {
            assertProblem(change(user.token(), "not-my-password-" + i, NEW_PASSWORD), 403);
        }
        assertProblem(change(user.token(), PASSWORD, NEW_PASSWORD), 429);
        assertProblem(login(user.email(), PASSWORD), 429);
    }

    @Test
    void theNewPasswordFollowsTheRegisterRules() {
        TestUser user = newUser();
        assertProblem(change(user.token(), PASSWORD, "short"), 400).body("errors.field", hasItem("newPassword"));
        assertProblem(change(user.token(), PASSWORD, "x".repeat(73)), 400).body("errors.field", hasItem("newPassword"));
        assertProblem(change(user.token(), PASSWORD, "password1"), 400).body("errors.field", hasItem("newPassword"));
        assertProblem(change(user.token(), PASSWORD, user.email()), 400).body("errors.field", hasItem("newPassword"));
        assertProblem(withToken(user.token()).body(Map.of("newPassword", NEW_PASSWORD)).post("/api/auth/password").then(), 400)
                .body("errors.field", hasItem("currentPassword"));
        // Nothing changed.
        login(user.email(), PASSWORD).statusCode(200).body("user.email", equalTo(user.email()));
    }
}
