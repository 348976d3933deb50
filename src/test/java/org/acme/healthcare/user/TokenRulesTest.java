package org.acme.healthcare.user;

import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.Api.withToken;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Base64;

import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;

/** Tokens signed with the service's own key that still must not work. */
@QuarkusTest
class TokenRulesTest {

    @Test
    void aWellFormedTokenOfALiveSessionWorks() {
        TestUser user = newUser();
        String sid = String.valueOf(SessionTest.sid(user.token()));
        withToken(Tokens.claims(user.id(), "user").claim("sid", sid).sign()).get("/api/auth/me").then().statusCode(200);
    }

    @Test
    void aTokenIssuedInTheFutureIsRefused() {
        TestUser user = newUser();
        String sid = String.valueOf(SessionTest.sid(user.token()));
        Instant future = Instant.now().plusSeconds(10L * 365 * 24 * 3600);
        assertProblem(withToken(Tokens.claims(user.id(), "user").claim("sid", sid).issuedAt(future)
                .expiresAt(future.plusSeconds(600)).sign()).get("/api/auth/me").then(), 401);
        // Beyond the 60 s skew, by a little.
        Instant soon = Instant.now().plusSeconds(120);
        assertProblem(withToken(Tokens.claims(user.id(), "user").claim("sid", sid).issuedAt(soon)
                .expiresAt(soon.plusSeconds(600)).sign()).get("/api/auth/me").then(), 401);
    }

    @Test
    void aTokenLivingLongerThanTheLifetimeIsRefused() {
        TestUser user = newUser();
        String sid = String.valueOf(SessionTest.sid(user.token()));
        Instant now = Instant.now();
        assertProblem(withToken(Tokens.claims(user.id(), "user").claim("sid", sid).issuedAt(now)
                .expiresAt(Instant.parse("9999-12-31T23:59:59Z")).sign()).get("/api/auth/me").then(), 401);
        assertProblem(withToken(Tokens.claims(user.id(), "user").claim("sid", sid).issuedAt(now)
                .expiresAt(now.plusSeconds(3601)).sign()).get("/api/auth/me").then(), 401);
    }

    @Test
    void aTokenWithoutASessionIsRefused() {
        TestUser user = newUser();
        assertProblem(withToken(Tokens.claims(user.id(), "user").sign()).get("/api/auth/me").then(), 401);
        assertProblem(withToken(Tokens.claims(user.id(), "user").claim("sid", "not-a-number").sign())
                .get("/api/auth/me").then(), 401);
    }

    @Test
    void anotherAccountsSessionIdIsRefused() {
        TestUser victim = newUser();
        TestUser attacker = newUser();
        String victimSid = String.valueOf(SessionTest.sid(victim.token()));
        assertProblem(withToken(Tokens.claims(attacker.id(), "user").claim("sid", victimSid).sign())
                .get("/api/auth/me").then(), 401);
        assertProblem(withToken(Tokens.claims(victim.id(), "user").claim("sid", "999999999999").sign())
                .get("/api/auth/me").then(), 401);
    }

    @Test
    void issuedTokensNameTheServiceAsTheirAudience() {
        assertTrue(Tokens.payloadJson(newUser().token()).contains("\"aud\":\"healthcare-api\""));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        TestUser user = newUser();
        String sid = String.valueOf(SessionTest.sid(user.token()));
        assertProblem(withToken(Tokens.claims(user.id(), "user").claim("sid", sid).audience("billing-service").sign())
                .get("/api/auth/me").then(), 401);
    }

    @Test
    void aTokenWithoutAudienceIsRefused() {
        TestUser user = newUser();
        String sid = String.valueOf(SessionTest.sid(user.token()));
        Instant now = Instant.now();
        String token = Jwt.issuer(Tokens.ISSUER).subject(String.valueOf(user.id())).upn(user.email()).groups("user")
                .issuedAt(now).expiresAt(now.plusSeconds(600)).claim("sid", sid).sign();
        assertProblem(withToken(token).get("/api/auth/me").then(), 401);
    }

    @Test
    void aTokenWithPaddingAppendedIsRefused() {
        TestUser user = newUser();
        withToken(user.token()).get("/api/auth/me").then().statusCode(200);
        assertProblem(withToken(user.token() + "==").get("/api/auth/me").then(), 401);
        assertProblem(withToken(user.token() + "=").get("/api/auth/me").then(), 401);
        String[] parts = user.token().split("\\.");
        assertProblem(withToken(parts[0] + "=." + parts[1] + "." + parts[2]).get("/api/auth/me").then(), 401);
        assertProblem(withToken(parts[0] + "." + parts[1] + "==." + parts[2]).get("/api/auth/me").then(), 401);
    }

    @Test
    void aSignatureReEncodedWithOtherUnusedBitsIsRefused() {
        TestUser user = newUser();
        String token = user.token();
        // An RS256 signature is 256 bytes: its last base64url character carries 2 bits of data
        // and 4 unused ones. Flipping an unused bit decodes to the same signature bytes.
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = token.charAt(token.length() - 1);
        char other = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String reEncoded = token.substring(0, token.length() - 1) + other;
        assertArrayEquals(Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1)),
                Base64.getUrlDecoder().decode(reEncoded.substring(reEncoded.lastIndexOf('.') + 1)), "the same signature bytes");
        assertProblem(withToken(reEncoded).get("/api/auth/me").then(), 401);
        assertProblem(io.restassured.RestAssured.given().header("x-access-token", reEncoded).get("/api/auth/me").then(), 401);
    }
}
