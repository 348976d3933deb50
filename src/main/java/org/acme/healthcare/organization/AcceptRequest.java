package org.acme.healthcare.organization;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "AcceptRequest")
public record AcceptRequest(
        @NotBlank @Size(max = 128) @Schema(required = true, description = "The code of an invitation",
                examples = "q2V0aGlzLWlzLWFuLWV4YW1wbGUtaW52aXRhdGlvbi1jb2Rl", maxLength = 128) String code) {
}
