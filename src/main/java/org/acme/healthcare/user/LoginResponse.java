package org.acme.healthcare.user;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "LoginResponse")
public record LoginResponse(
        @Schema(description = "Signed JWT (RS256); send as `Authorization: Bearer <token>` or `x-access-token: <token>`") String token,
        @Schema(examples = "Bearer") String tokenType,
        @Schema(description = "Seconds until the token expires", examples = "3600") long expiresIn,
        UserResponse user) {
}
