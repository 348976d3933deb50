package org.acme.healthcare.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "RefreshRequest")
public record RefreshRequest(
        @NotBlank @Size(max = 128) @Schema(description = "The refresh token from the last login or refresh; usable once",
                examples = "q2V0aGlzLWlzLWFuLWV4YW1wbGUtcmVmcmVzaC10b2tlbi0xMjM0NQ") String refreshToken) {
}
