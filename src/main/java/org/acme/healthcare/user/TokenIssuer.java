package org.acme.healthcare.user;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;


import io.smallrye.jwt.build.Jwt;

/**
 * Issues the RS256 access tokens. A user's: iss, aud, sub (user id), upn (email), groups (role), sid
 * (session id), iat, exp, jti. A system client's ({@link #issueSystem}): iss, aud, sub and
 * {@code client_id} (the client's public id), groups {@code system}, {@code scope} (what was
 * granted), iat, exp, jti; no {@code sid}.
 */
@ApplicationScoped
public class TokenIssuer {
    /** The session id claim (as in OpenID Connect): the session this token belongs to. */
    public static final String SESSION_CLAIM = "sid";
    /** The claim that makes a token a system client's (RFC 9068's {@code client_id}); user tokens never carry it. */
    public static final String CLIENT_CLAIM = "client_id";
    /** The scopes a system token was granted, space-separated (RFC 9068's {@code scope}). */
    public static final String SCOPE_CLAIM = "scope";

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

    /** A system client's token ({@code client/TokenService}): {@code lifetimeSeconds} at most 300. */
    public String issueSystem(String clientId, String scope, long lifetimeSeconds) {
        Instant now = Instant.now();
        return Jwt.issuer(config.jwt().issuer())
                .audience(config.jwt().audience())
                .subject(clientId)
                .groups(Set.of(org.acme.healthcare.common.Roles.SYSTEM))
                .issuedAt(now)
                .expiresAt(now.plusSeconds(lifetimeSeconds))
                .claim("jti", UUID.randomUUID().toString())
                .claim(CLIENT_CLAIM, clientId)
                .claim(SCOPE_CLAIM, scope)
                .jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256)
                .sign();
    }
}
