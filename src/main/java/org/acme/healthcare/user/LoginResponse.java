package org.acme.healthcare.user;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "LoginResponse")
public record LoginResponse(
        @Schema(description = "Signed JWT (RS256); send as `Authorization: Bearer <token>` or `x-access-token: <token>`",
                examples = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2hlYWx0aGNhcmUtYXBpLmxvY2FsIn0.c2lnbmF0dXJl") String token,
        @Schema(examples = "Bearer") String tokenType,
        @Schema(description = "Seconds until the token expires", examples = "3600") long expiresIn,
        UserResponse user) {
}
