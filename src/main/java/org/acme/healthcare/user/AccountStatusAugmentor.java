package org.acme.healthcare.user;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * A valid signature is not enough: the account behind the token must still exist, and its role
 * is the one in the database now, not the one in the token. So a token of a deleted account is
 * refused (401) and can never create records nobody owns, and a demoted admin loses admin
 * rights within the cache time ({@code HEALTHCARE_ACCOUNT_CACHE_TTL}) rather than at token expiry.
 */
@ApplicationScoped
public class AccountStatusAugmentor implements SecurityIdentityAugmentor {
    private final AccountRoles roles;
    private final Cache cache;

    AccountStatusAugmentor(AccountRoles roles, @CacheName(AccountRoles.CACHE) Cache cache) {
        this.roles = roles;
        this.cache = cache;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        long userId;
        try {
            userId = Long.parseLong(jwt.getSubject());
        } catch (NumberFormatException | NullPointerException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException("token subject is not an account id"));
        }
        // The common case, a cached account, needs no database and so no hop to a worker thread.
        CompletableFuture<Object> cached = cache.as(CaffeineCache.class).getIfPresent(userId);
        if (cached != null && cached.isDone() && !cached.isCompletedExceptionally()) {
            return Uni.createFrom().item(() -> withRole(identity, asRole(cached.join())));
        }
        return context.runBlocking(() -> withRole(identity, roles.roleOf(userId)));
    }

    @SuppressWarnings("unchecked")
    private static Optional<String> asRole(Object cached) {
        return (Optional<String>) cached;
    }

    private static SecurityIdentity withRole(SecurityIdentity identity, Optional<String> role) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addRole(role.orElseThrow(() -> new AuthenticationFailedException("account no longer exists")))
                .build();
    }
}
