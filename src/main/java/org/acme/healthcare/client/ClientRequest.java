package org.acme.healthcare.client;

import java.util.Map;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.acme.healthcare.validation.VisibleText;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;


/** The body of {@code POST /api/organizations/{id}/clients}: a name, the client's public keys and the scopes it may get. */
@Schema(name = "ClientRequest", description = "A system client to register (SMART Backend Services). Its keys sign the"
        + " client assertions it authenticates with at `POST /auth/token`; the private keys stay with the client.")
public record ClientRequest(
        @NotNull(message = "is required") @Size(min = 1, max = 200) @VisibleText
        @Schema(required = true, maxLength = 200, examples = "Analytics warehouse") String name,

        @NotNull(message = "is required")
        @Schema(required = true, type = SchemaType.OBJECT, description = "A JWK Set of 1 to 10 public keys, each with a `kid`:"
                + " RSA (2048 bits or more) for RS384, EC P-384 for ES384. A key with a private member (`d`, …) is refused.",
                examples = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-384\",\"kid\":\"key-1\",\"alg\":\"ES384\",\"use\":\"sig\","
                        + "\"x\":\"...\",\"y\":\"...\"}]}") Map<String, Object> jwks,

        @NotNull(message = "is required") @Size(max = SmartScopes.MAX_LENGTH)
        @Schema(required = true, maxLength = SmartScopes.MAX_LENGTH, description = "Space-separated SMART system scopes the"
                + " client may be granted: `system/<FHIR resource type or *>.rs` (or `.r`, `.s`), or v1 `.read`. Read only.",
                examples = "system/*.rs") String scope) {
}
