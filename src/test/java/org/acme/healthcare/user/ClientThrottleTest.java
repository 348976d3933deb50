package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.uniqueEmail;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import org.acme.healthcare.support.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Throttling across clients: one client trying many emails, many clients guessing one email,
 * and the owner on another client while someone guesses. Clients are told apart by
 * {@code X-Forwarded-For}, as behind a trusted proxy.
 */
@QuarkusTest
@TestProfile(ClientThrottleTest.LowLimits.class)
class ClientThrottleTest {

    public static class LowLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("healthcare.login.max-failures-per-client", "3",
                    "healthcare.login.max-failures-per-email", "8",
                    "healthcare.registration.max-per-client", "3",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true");
        }
    }

    private static ValidatableResponse login(String client, String email, String password) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", client)
                .body(Map.of("email", email, "password", password)).post("/api/auth/login").then();
    }

    private static ValidatableResponse register(String client) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", client)
                .body(Map.of("name", "R", "email", uniqueEmail(), "password", PASSWORD)).post("/api/auth/register").then();
    }

    @BeforeEach
    void forgetEveryCount() {
        QuarkusTransaction.requiringNew().run(() -> User.getEntityManager()
                .createNativeQuery("delete from login_throttle").executeUpdate());
    }

    @Test
    void oneClientTryingManyEmailsIsBlocked() {
        var registered = Api.newUser();
        for (int i = 0; i < 3; i++) {
            assertProblem(ThrottleTest.login(uniqueEmail(), "guess-password"), 401);
        }
        assertProblem(ThrottleTest.login(registered.email(), PASSWORD), 429).header("Retry-After", notNullValue());
    }

    @Test
    void failuresFromOneClientDoNotLockTheOwnerOutOnAnother() {
        var owner = Api.newUser();
        // Under the per-client limit of 3, from an attacker behind one address per try pair.
        for (int i = 0; i < 5; i++) {
            assertProblem(login("203.0.113." + (10 + i / 2), owner.email(), "guess-password-" + i), 401);
        }
        login("198.51.100.7", owner.email(), PASSWORD).statusCode(200);
    }

    @Test
    void aBlockedClientDoesNotBlockTheOwnerElsewhere() {
        var owner = Api.newUser();
        for (int i = 0; i < 3; i++) {
            assertProblem(login("203.0.113.50", owner.email(), "guess-password"), 401);
        }
        assertProblem(login("203.0.113.50", owner.email(), PASSWORD), 429);
        login("198.51.100.8", owner.email(), PASSWORD).statusCode(200);
    }

    @Test
    void aGuessSpreadOverManyClientsHitsTheEmailCeiling() {
        var owner = Api.newUser();
        for (int i = 0; i < 8; i++) {
            assertProblem(login("192.0.2." + (100 + i), owner.email(), "guess-password-" + i), 401);
        }
        // The ceiling stops the distributed guess, from every client, for the window.
        assertProblem(login("192.0.2.200", owner.email(), PASSWORD), 429).header("Retry-After", notNullValue());
        assertProblem(login("198.51.100.9", owner.email(), PASSWORD), 429);
        // Another account is not affected.
        login("198.51.100.9", Api.newUser().email(), PASSWORD).statusCode(200);
    }

    @Test
    void registrationIsLimitedPerClient() {
        for (int i = 0; i < 3; i++) {
            register("203.0.113.77").statusCode(201);
        }
        assertProblem(register("203.0.113.77"), 429).header("Retry-After", notNullValue());
        register("203.0.113.78").statusCode(201);
    }
}
