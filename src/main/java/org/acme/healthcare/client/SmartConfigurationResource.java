package org.acme.healthcare.client;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code GET /fhir/.well-known/smart-configuration} (SMART App Launch 2.0, "Conformance"): where
 * system clients get tokens and how they authenticate. Public: clients read it before they have a token.
 */
@Path("/fhir/.well-known/smart-configuration")
@Tag(name = "System clients")
@PermitAll // discovery, read before a client has a token; it says nothing about any record
public class SmartConfigurationResource {
    /** The scopes a client may be registered with and ask for, as examples (any FHIR R4 type may be named). */
    static final List<String> SCOPES = List.of("system/*.rs", "system/*.read", "system/Patient.rs", "system/Condition.rs",
            "system/Practitioner.rs", "system/CareTeam.rs");

    @RegisterForReflection
    @Schema(name = "SmartConfiguration")
    public record Configuration(
            @JsonProperty("token_endpoint") @Schema(examples = "https://api.example.com/auth/token") String tokenEndpoint,
            @JsonProperty("token_endpoint_auth_methods_supported") List<String> authMethods,
            @JsonProperty("token_endpoint_auth_signing_alg_values_supported") List<String> signingAlgorithms,
            @JsonProperty("grant_types_supported") List<String> grantTypes,
            @JsonProperty("scopes_supported") List<String> scopes,
            @JsonProperty("capabilities") List<String> capabilities) {
    }

    @GET
    // FhirMedia turns every JSON Accept under /fhir into application/fhir+json; the answer is plain JSON all the same.
    @Produces({ MediaType.APPLICATION_JSON, "application/fhir+json" })
    @Operation(summary = "SMART configuration", description = "The token endpoint and what it takes (SMART Backend"
            + " Services): `private_key_jwt` client assertions signed with RS384 or ES384, the `client_credentials`"
            + " grant, SMART v2 system scopes (v1 `.read` too). No token needed.")
    @APIResponse(responseCode = "200", description = "The SMART configuration",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Configuration.class)))
    public Response configuration() {
        return Response.ok(new Configuration(TokenEndpoint.advertised(), List.of("private_key_jwt"), List.of("RS384", "ES384"),
                List.of(TokenService.GRANT_TYPE), SCOPES, List.of("client-confidential-asymmetric", "permission-v2")))
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
