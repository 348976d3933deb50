package org.acme.healthcare.patient;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.acme.healthcare.validation.VisibleText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "BreakGlassRequest")
public record BreakGlassRequest(
        @NotNull(message = "is required") @Size(min = 10, max = 500) @VisibleText
        @Schema(required = true, minLength = 10, maxLength = 500, examples = "Patient unconscious in the emergency department")
        String reason) {
}
