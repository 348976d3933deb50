package org.acme.healthcare.client;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /auth/authorize}: the authorization endpoint SMART's {@code oauth-uris} extension must
 * name (its {@code authorize} part is required), for a service that has no user authorization: it
 * issues tokens to system clients only (SMART Backend Services, {@link TokenResource}). Every
 * request is refused with OAuth's {@code unsupported_response_type} (RFC 6749 section 4.1.2.1),
 * never redirected anywhere.
 */
@Path(AuthorizeResource.PATH)
@Tag(name = "System clients")
@PermitAll // it authorizes nobody: every request gets the same refusal
public class AuthorizeResource {
    public static final String PATH = "/auth/authorize";

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Authorization endpoint (none)", description = "There is no user authorization (no authorization"
            + " code or implicit grant): system clients get tokens at `POST /auth/token`. Always 400"
            + " `unsupported_response_type`; never a redirect.")
    @APIResponse(responseCode = "400", description = "Always", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TokenResource.ErrorBody.class)))
    public void authorize() {
        throw new OAuthError("unsupported_response_type", "This service has no user authorization: system clients get tokens"
                + " at the token endpoint with a signed client assertion (SMART Backend Services).");
    }
}
