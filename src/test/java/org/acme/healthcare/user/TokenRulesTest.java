package org.acme.healthcare.user;

import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.Api.withToken;

import java.time.Instant;

import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

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
}
