package org.acme.healthcare.user;

import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.loginBody;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.Api.withToken;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import jakarta.inject.Inject;

import org.acme.healthcare.support.Api.TestUser;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * A verified token is remembered (its signature is checked once, not on every request), but
 * remembering it changes nothing about who may use it.
 */
@QuarkusTest
class VerifiedTokensTest {
    @Inject
    JWTParser parser;
    @Inject
    VerifiedTokens tokens;

    @Test
    void theServiceParsesTokensThroughTheCacheAndRemembersAVerifiedOne() throws ParseException {
        assertTrue(parser instanceof VerifiedTokens || parser.getClass().getSuperclass() == VerifiedTokens.class,
                "SmallRye JWT must use VerifiedTokens: " + parser.getClass());
        TestUser user = newUser();
        JsonWebToken first = tokens.parse(user.token());
        assertSame(first, tokens.parse(user.token()), "the second parse of one token is the remembered result");
    }

    @Test
    void aRememberedTokenOfAnEndedSessionIsRefused() {
        JsonPathLogin login = JsonPathLogin.of(newUser());
        withToken(login.token).get("/api/auth/me").then().statusCode(200);
        withToken(login.token).get("/api/auth/me").then().statusCode(200);   // now remembered
        withToken(login.token).post("/api/auth/logout").then().statusCode(204);
        assertProblem(withToken(login.token).get("/api/auth/me").then(), 401);
    }

    @Test
    void aRememberedTokenOfADisabledAccountIsRefused() {
        TestUser user = newUser();
        withToken(user.token()).get("/api/auth/me").then().statusCode(200);
        withToken(user.token()).get("/api/auth/me").then().statusCode(200);
        as(admin()).body(Map.of("disabled", true)).patch("/api/users/" + user.id()).then().statusCode(200);
        assertProblem(withToken(user.token()).get("/api/auth/me").then(), 401);
    }

    @Test
    void aTokenAlteredAfterTheRememberedOneIsStillCheckedAndRefused() {
        TestUser user = newUser();
        withToken(user.token()).get("/api/auth/me").then().statusCode(200);
        String[] parts = user.token().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"sub\":\"" + user.id() + "\"", "\"sub\":\"" + (user.id() + 1) + "\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertTrue(!forged.equals(user.token()), "the payload must have changed: " + payload);
        assertProblem(withToken(forged).get("/api/auth/me").then(), 401);
        assertThrows(ParseException.class, () -> tokens.parse(forged));
        assertThrows(ParseException.class, () -> tokens.parse(user.token() + "x"));
    }

    /** A login of its own (not the shared token of {@link TestUser}), so logging out ends only it. */
    record JsonPathLogin(String token) {
        static JsonPathLogin of(TestUser user) {
            return new JsonPathLogin(loginBody(user.email(), PASSWORD).getString("token"));
        }
    }
}
