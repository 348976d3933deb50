package org.acme.healthcare.user;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Roles;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/** The caller, as the verified token names them. The owner of anything created comes from here only. */
@RequestScoped
public class CurrentUser {
    @Inject
    JsonWebToken jwt;

    @Inject
    SecurityIdentity identity;

    public long id() {
        Long id = idOrNull();
        if (id == null) {
            throw ApiException.unauthorized("A valid bearer token is required.");
        }
        return id;
    }

    /** The caller's id, or null for an anonymous request. */
    public Long idOrNull() {
        if (identity.isAnonymous() || jwt.getSubject() == null) {
            return null;
        }
        try {
            return Long.parseLong(jwt.getSubject());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The session the caller's token names ({@code sid}); every accepted token has one (see AccountStatusAugmentor). */
    public long sessionId() {
        Object sid = identity.isAnonymous() ? null : jwt.getClaim(TokenIssuer.SESSION_CLAIM);
        if (sid == null) {
            throw ApiException.unauthorized("A valid bearer token is required.");
        }
        try {
            return Long.parseLong(sid instanceof JsonString s ? s.getString() : sid.toString());
        } catch (NumberFormatException e) {
            throw ApiException.unauthorized("A valid bearer token is required.");
        }
    }

    public boolean isAdmin() {
        // The role of the account now (see AccountStatusAugmentor), not the one in the token.
        return identity.hasRole(Roles.ADMIN);
    }
}
