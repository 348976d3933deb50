package org.acme.healthcare.client;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;

import org.acme.healthcare.common.Roles;
import org.acme.healthcare.user.CurrentUser;
import org.acme.healthcare.user.TokenIssuer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * A system client's token (it carries {@code client_id}; SmallRye JWT has checked its signature,
 * issuer, audience and expiry): accepted only while its client is registered and not revoked
 * ({@link LiveClients}), when {@code sub} is that client, it is not dated ahead and lives no longer
 * than a system token may. The identity then has the one role {@code system} (whatever the token's
 * {@code groups} say) and the {@link CurrentUser.SystemCaller} attribute. Any failure is the plain 401.
 */
@ApplicationScoped
public class SystemTokens implements SecurityIdentityAugmentor {
    private final LiveClients clients;
    private final long lifetimeSeconds;
    private final long skewSeconds;

    SystemTokens(LiveClients clients, ClientsConfig config,
            @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60") long skewSeconds) {
        this.clients = clients;
        this.lifetimeSeconds = config.tokenLifetime().toSeconds();
        this.skewSeconds = skewSeconds;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)
                || !jwt.containsClaim(TokenIssuer.CLIENT_CLAIM)) {
            return Uni.createFrom().item(identity);
        }
        String clientId = claim(jwt, TokenIssuer.CLIENT_CLAIM);
        String scope = claim(jwt, TokenIssuer.SCOPE_CLAIM);
        long now = System.currentTimeMillis() / 1000;
        long iat = jwt.getIssuedAtTime();
        if (clientId == null || !clientId.equals(jwt.getSubject()) || scope == null || iat == 0 || iat > now + skewSeconds
                || jwt.getExpirationTime() - iat > lifetimeSeconds) {
            return Uni.createFrom().failure(new AuthenticationFailedException("not a system token this service issues"));
        }
        Optional<LiveClients.Live> cached = clients.cached(clientId);
        if (cached != null) {
            return Uni.createFrom().item(() -> asSystem(identity, cached, scope));
        }
        return context.runBlocking(() -> asSystem(identity, clients.lookup(clientId), scope));
    }

    private static SecurityIdentity asSystem(SecurityIdentity identity, Optional<LiveClients.Live> live, String scope) {
        LiveClients.Live c = live.orElseThrow(() -> new AuthenticationFailedException("client revoked or unknown"));
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addAttribute(CurrentUser.SYSTEM_ATTRIBUTE,
                        new CurrentUser.SystemCaller(c.id(), c.clientId(), c.organizationId(), c.name(), scope))
                .addRole(Roles.SYSTEM)
                .build();
    }

    private static String claim(JsonWebToken jwt, String name) {
        Object value = jwt.getClaim(name);
        return value instanceof JsonString s ? s.getString() : value instanceof String s ? s : null;
    }
}
