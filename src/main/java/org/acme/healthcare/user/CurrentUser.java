package org.acme.healthcare.user;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Roles;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The caller, as the verified token names them. The owner of anything created comes from here only.
 * A caller is a user (an account's token) or a system client (a SMART Backend Services token, see
 * {@link SystemCaller}).
 */
@RequestScoped
public class CurrentUser {
    /** The identity attribute that holds a system client's {@link SystemCaller} (set by client/SystemTokens). */
    public static final String SYSTEM_ATTRIBUTE = "healthcare.system-client";

    /**
     * A system client calling with its token: its row id, public {@code clientId}, organization,
     * name and the scopes its token was granted. Checked live on every request (client/LiveClients).
     */
    public record SystemCaller(long id, String clientId, long organizationId, String name, String scope) {
        /**
         * The client as a caller of the access rule (patient/PatientAccess): the negative of its row
         * id, so that it can never be taken for a user's id.
         */
        public long accessId() {
            return -id;
        }
    }

    @Inject
    JsonWebToken jwt;

    @Inject
    SecurityIdentity identity;

    /**
     * The caller's id in the access rule: a user's id, or {@link SystemCaller#accessId()} for a
     * system client (whose routes only read: see patient/PatientAccess).
     */
    public long id() {
        SystemCaller system = systemOrNull();
        if (system != null) {
            return system.accessId();
        }
        Long id = idOrNull();
        if (id == null) {
            throw ApiException.unauthorized("A valid bearer token is required.");
        }
        return id;
    }

    /** The calling user's id; null for an anonymous request and for a system client (see {@link #systemOrNull}). */
    public Long idOrNull() {
        if (identity.isAnonymous() || jwt.getSubject() == null || systemOrNull() != null) {
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

    /** The system client calling, or null when the caller is a user or anonymous. */
    public SystemCaller systemOrNull() {
        return identity.isAnonymous() ? null : identity.getAttribute(SYSTEM_ATTRIBUTE);
    }

    public boolean isAdmin() {
        // The role of the account now (see AccountStatusAugmentor), not the one in the token.
        return identity.hasRole(Roles.ADMIN);
    }
}
