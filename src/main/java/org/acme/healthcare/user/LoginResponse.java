package org.acme.healthcare.user;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "LoginResponse", description = "A new session's tokens (login), or the next pair of the same session (refresh)")
public record LoginResponse(
        @Schema(description = "Signed JWT (RS256) naming the session in `sid`; send as `Authorization: Bearer <token>` or"
                + " `x-access-token: <token>`",
                examples = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2hlYWx0aGNhcmUtYXBpLmxvY2FsIn0.c2lnbmF0dXJl") String token,
        @Schema(examples = "Bearer") String tokenType,
        @Schema(description = "Seconds until the access token expires", examples = "3600") long expiresIn,
        @Schema(description = "Opaque, usable once at `POST /api/auth/refresh`; presenting it a second time ends the session."
                + " Keep it secret.", examples = "q2V0aGlzLWlzLWFuLWV4YW1wbGUtcmVmcmVzaC10b2tlbi0xMjM0NQ") String refreshToken,
        @Schema(description = "Seconds until the refresh token expires unless the session is used before: the earliest of"
                + " the refresh token's own lifetime, the session's idle end and its absolute end", examples = "1800")
        long refreshExpiresIn,
        UserResponse user) {
}
