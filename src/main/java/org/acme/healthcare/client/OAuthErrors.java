package org.acme.healthcare.client;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.acme.healthcare.common.Problem;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * On the token endpoint (and the authorization endpoint, which only refuses) every error is OAuth's JSON ({@code {error, error_description}},
 * {@code application/json}; RFC 6749 section 5.2), never a problem document: an {@link OAuthError}
 * directly; anything else that went through the one error path (a 405 for a GET, a 415 for another
 * body type, a 406, a 500 or 503) is rewritten here with its status kept; and what the HTTP layer
 * refuses before any resource runs (a body over the limit: 413) through {@link OAuthHttpErrors}.
 */
public class OAuthErrors {
    /** The token endpoint's path, and the authorization endpoint's ({@link AuthorizeResource}), with or without a trailing slash. */
    static boolean isTokenPath(String path) {
        return path != null && (path.equals(TokenEndpoint.PATH) || path.equals(TokenEndpoint.PATH + "/")
                || path.equals(AuthorizeResource.PATH) || path.equals(AuthorizeResource.PATH + "/"));
    }

    @ServerExceptionMapper
    public Response oauth(OAuthError e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new TokenResource.ErrorBody(e.error(), e.getMessage())).build();
    }

    @ServerResponseFilter
    public void toOAuth(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem && isTokenPath(request.getUriInfo().getRequestUri().getRawPath())) {
            response.setEntity(error(problem.status(), problem.correlationId() == null ? problem.detail()
                    : problem.detail() + " Correlation id: " + problem.correlationId()), null, MediaType.APPLICATION_JSON_TYPE);
        }
    }

    /** The OAuth error for a status the framework or the error path chose. */
    static TokenResource.ErrorBody error(int status, String detail) {
        String code = status == 401 ? OAuthError.INVALID_CLIENT
                : status == 503 ? "temporarily_unavailable"
                : status >= 500 ? "server_error" : OAuthError.INVALID_REQUEST;
        return new TokenResource.ErrorBody(code, detail);
    }
}
