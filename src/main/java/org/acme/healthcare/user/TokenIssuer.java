package org.acme.healthcare.user;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;


import io.smallrye.jwt.build.Jwt;

/** Issues the RS256 access tokens: iss, aud, sub (user id), upn (email), groups (role), sid (session id), iat, exp, jti. */
@ApplicationScoped
public class TokenIssuer {
    /** The session id claim (as in OpenID Connect): the session this token belongs to. */
    public static final String SESSION_CLAIM = "sid";

    private final AccountsConfig config;

    TokenIssuer(AccountsConfig config) {
        this.config = config;
    }

    public long lifetimeSeconds() {
        return config.jwt().lifetime().toSeconds();
    }

    public String issue(User user, long sessionId) {
        Instant now = Instant.now();
        return Jwt.issuer(config.jwt().issuer())
                .audience(config.jwt().audience())
                .subject(String.valueOf(user.id))
                .upn(user.email)
                .groups(Set.of(user.role))
                .issuedAt(now)
                .expiresAt(now.plusSeconds(lifetimeSeconds()))
                .claim("jti", UUID.randomUUID().toString())
                .claim(TokenIssuer.SESSION_CLAIM, String.valueOf(sessionId))
                .jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256)
                .sign();
    }
}
