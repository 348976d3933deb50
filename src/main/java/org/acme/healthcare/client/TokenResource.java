package org.acme.healthcare.client;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code POST /auth/token}: SMART Backend Services' token endpoint (RFC 6749 client credentials
 * with an RFC 7523 client assertion). Public, since the client authenticates with its signed
 * assertion in the body, not with a bearer token. Every answer, errors included (the framework's
 * 404/405/406/413/415 too: {@link OAuthErrors}), is OAuth's JSON, never a problem document.
 */
@Path(TokenEndpoint.PATH)
@Tag(name = "System clients")
@PermitAll // the caller authenticates with its client assertion (RFC 7523), checked by TokenService
public class TokenResource {
    /** More parameters than this is not a token request. */
    static final int MAX_PARAMETERS = 16;

    private final TokenService tokens;

    TokenResource(TokenService tokens) {
        this.tokens = tokens;
    }

    /** The form of a token request, for the OpenAPI document. */
    @Schema(name = "TokenRequest", description = "application/x-www-form-urlencoded; each parameter at most once")
    public record Form(
            @Schema(required = true, enumeration = "client_credentials") String grant_type,
            @Schema(required = true, enumeration = TokenService.ASSERTION_TYPE) String client_assertion_type,
            @Schema(required = true, description = "A JWT signed (RS384 or ES384) by one of the client's registered keys,"
                    + " header `kid` naming it: `iss` = `sub` = the clientId, `aud` = this endpoint's URL (the"
                    + " `token_endpoint` of /fhir/.well-known/smart-configuration), `exp` at most 5 minutes ahead, a"
                    + " `jti` never used before") String client_assertion,
            @Schema(required = true, description = "Space-separated SMART system scopes", examples = "system/*.rs")
            String scope) {
    }

    /** A token (RFC 6749 section 5.1). */
    @RegisterForReflection
    @Schema(name = "TokenResponse")
    public record Token(
            @JsonProperty("access_token") @Schema(description = "A bearer token for the FHIR read routes") String accessToken,
            @JsonProperty("token_type") @Schema(enumeration = "bearer") String tokenType,
            @JsonProperty("expires_in") @Schema(description = "Seconds; at most 300", examples = "300") long expiresIn,
            @JsonProperty("scope") @Schema(description = "What was granted: asked ∩ held", examples = "system/*.rs") String scope) {
    }

    /** An OAuth error (RFC 6749 section 5.2). */
    @RegisterForReflection
    @Schema(name = "OAuthError")
    public record ErrorBody(
            @Schema(enumeration = { "invalid_request", "invalid_client", "invalid_grant", "invalid_scope",
                    "unsupported_grant_type", "unsupported_response_type", "server_error", "temporarily_unavailable" })
            String error,
            @JsonProperty("error_description") String errorDescription) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Get a system token (SMART Backend Services)", description = "A registered system client"
            + " authenticates with a signed JWT (RFC 7523) and gets a bearer token for up to 5 minutes with the scopes asked"
            + " for that it holds (a write scope is never granted; nothing left is `invalid_scope`). Errors are OAuth's"
            + " JSON (`{error, error_description}`): 401 `invalid_client` when the assertion does not authenticate the"
            + " client (unknown or revoked client, wrong key, signature, `aud`, `iss`/`sub`, expired, more than 5 minutes"
            + " ahead, a `jti` used before), 400 otherwise (`invalid_request`, `unsupported_grant_type`, `invalid_scope`).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(implementation = Form.class)))
    @APIResponse(responseCode = "200", description = "The token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Token.class)))
    @APIResponse(responseCode = "400", description = "A malformed request, an unsupported grant type or a scope not granted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "401", description = "The client assertion does not authenticate a registered client",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "413", description = "The body is over the limit (`invalid_request`)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "415", description = "Not `application/x-www-form-urlencoded` (`invalid_request`)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "503", description = "The database did not answer in time (`temporarily_unavailable`; retry"
            + " with a new assertion)", content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ErrorBody.class)))
    public Response token(byte[] body) {
        TokenService.Issued issued = tokens.token(form(body));
        return Response.ok(new Token(issued.accessToken(), "bearer", issued.expiresIn(), issued.scope()))
                .type(MediaType.APPLICATION_JSON_TYPE).header("Pragma", "no-cache").build();
    }

    /**
     * The form's parameters, strictly: UTF-8, well-formed percent-encoding, each name at most once
     * (RFC 6749 section 3.2), at most {@value #MAX_PARAMETERS}; an empty body has none.
     */
    static Map<String, String> form(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw OAuthError.invalidRequest("The request body is not valid UTF-8.");
        }
        Map<String, String> form = new HashMap<>();
        if (text.isEmpty()) {
            return form;
        }
        String[] pairs = text.split("&", -1);
        if (pairs.length > MAX_PARAMETERS) {
            throw OAuthError.invalidRequest("Too many parameters.");
        }
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (form.putIfAbsent(name, value) != null) {
                throw OAuthError.invalidRequest("Each parameter may be sent once.");
            }
        }
        return form;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("The request body is not a well-formed application/x-www-form-urlencoded form.");
        }
    }
}
