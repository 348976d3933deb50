package org.acme.healthcare.common;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller, as the verified token names them. The owner of anything created comes from here only. */
@RequestScoped
public class CurrentUser {
    @Inject
    JsonWebToken jwt;

    public long id() {
        try {
            return Long.parseLong(jwt.getSubject());
        } catch (NumberFormatException | NullPointerException e) {
            throw ApiException.unauthorized("A valid bearer token is required.");
        }
    }

    public boolean isAdmin() {
        return jwt.getGroups() != null && jwt.getGroups().contains(Roles.ADMIN);
    }
}
