package org.acme.healthcare.client;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "Client", description = "A registered system client. Its `clientId` is the `iss` and `sub` of its client"
        + " assertions at `POST /auth/token`.")
public record ClientResponse(
        @Schema(examples = "sc_3q2-7wEXAMPLEexample0KkqR") String clientId,
        @Schema(examples = "Analytics warehouse") String name,
        @Schema(description = "The system scopes it may be granted", examples = "system/*.rs") String scope,
        Instant createdAt) {

    static ClientResponse from(SystemClient c) {
        return new ClientResponse(c.clientId, c.name, c.scope, c.createdAt);
    }
}
