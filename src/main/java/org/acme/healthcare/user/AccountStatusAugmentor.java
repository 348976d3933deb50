package org.acme.healthcare.user;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

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

    AccountStatusAugmentor(AccountRoles roles) {
        this.roles = roles;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> {
            long userId;
            try {
                userId = Long.parseLong(jwt.getSubject());
            } catch (NumberFormatException | NullPointerException e) {
                throw new AuthenticationFailedException("token subject is not an account id");
            }
            String role = roles.roleOf(userId)
                    .orElseThrow(() -> new AuthenticationFailedException("account no longer exists"));
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(identity.getPrincipal())
                    .addCredentials(identity.getCredentials())
                    .addAttributes(identity.getAttributes())
                    .addRole(role)
                    .build();
        });
    }
}
