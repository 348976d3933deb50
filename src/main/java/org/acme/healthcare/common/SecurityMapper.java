package org.acme.healthcare.common;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Quarkus Security's refusals: 401 with {@code WWW-Authenticate: Bearer}, or 403. */
public class SecurityMapper {
    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class,
            AuthenticationCompletionException.class })
    public Response unauthorized(UriInfo uri, HttpHeaders headers) {
        return ProblemResponses.unauthorizedFor(uri.getPath(), headers.getHeaderString(HttpHeaders.AUTHORIZATION));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return ProblemResponses.response(Problem.of(ProblemType.FORBIDDEN,
                ProblemTable.detail(ProblemType.FORBIDDEN), uri.getPath()));
    }
}
