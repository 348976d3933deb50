package org.acme.healthcare.user;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * A valid signature is not enough. SmallRye JWT has checked the signature, the issuer, the
 * expiry and that {@code sid} is there; this adds what it does not check and what only the
 * database knows:
 * <ul>
 * <li>{@code iat} not in the future (beyond the clock skew), and {@code exp - iat} not longer than
 * the configured lifetime: a token signed with the key but dated years ahead is refused;</li>
 * <li>the session named by {@code sid} is the account's and still live (not logged out, deleted,
 * ended by a password change or a replayed refresh token), and the account is enabled;</li>
 * <li>the role is the account's now, not the one in the token's {@code groups}.</li>
 * </ul>
 * Any failure is the plain 401. The database answer is cached ({@link LiveSessions}). A system
 * client's token (it carries {@code client_id}) is left to client/SystemTokens.
 */
@ApplicationScoped
public class AccountStatusAugmentor implements SecurityIdentityAugmentor {
    private final LiveSessions sessions;
    private final long lifetimeSeconds;
    private final long skewSeconds;

    AccountStatusAugmentor(LiveSessions sessions, AccountsConfig config,
            @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60") long skewSeconds) {
        this.sessions = sessions;
        this.lifetimeSeconds = config.jwt().lifetime().toSeconds();
        this.skewSeconds = skewSeconds;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        if (jwt.containsClaim(TokenIssuer.CLIENT_CLAIM)) {
            // A system client's token: client/SystemTokens checks it (the client live, not revoked).
            return Uni.createFrom().item(identity);
        }
        LiveSessions.Key key;
        try {
            checkTimes(jwt);
            key = new LiveSessions.Key(Long.parseLong(claim(jwt, TokenIssuer.SESSION_CLAIM)), Long.parseLong(jwt.getSubject()));
        } catch (NumberFormatException | NullPointerException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException("token does not name an account session"));
        } catch (AuthenticationFailedException e) {
            return Uni.createFrom().failure(e);
        }
        // The common case, a cached answer, needs no database and so no hop to a worker thread.
        Optional<String> cached = sessions.cached(key);
        if (cached != null) {
            return Uni.createFrom().item(() -> withRole(identity, cached));
        }
        LiveSessions.Key asked = key;
        return context.runBlocking(() -> withRole(identity, sessions.roleOf(asked)));
    }

    private void checkTimes(JsonWebToken jwt) {
        long now = System.currentTimeMillis() / 1000;
        long iat = jwt.getIssuedAtTime();
        long exp = jwt.getExpirationTime();
        if (iat == 0 || iat > now + skewSeconds) {
            throw new AuthenticationFailedException("token issued in the future");
        }
        if (exp - iat > lifetimeSeconds) {
            throw new AuthenticationFailedException("token lives longer than the configured lifetime");
        }
    }

    private static String claim(JsonWebToken jwt, String name) {
        Object value = jwt.getClaim(name);
        return value instanceof JsonString s ? s.getString() : value == null ? null : value.toString();
    }

    private static SecurityIdentity withRole(SecurityIdentity identity, Optional<String> role) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addRole(role.orElseThrow(() -> new AuthenticationFailedException("session ended or account unavailable")))
                .build();
    }
}
