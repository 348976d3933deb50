package org.acme.healthcare.organization;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "Organization", description = "An organization (a clinic) and the caller's role in it")
public record OrganizationResponse(
        @Schema(examples = "1") Long id,
        @Schema(examples = "Riverside Clinic") String name,
        Instant createdAt,
        @Schema(description = "The caller's role in the organization", enumeration = { "admin", "clinician", "reader" },
                examples = "admin") String role) {

    public static OrganizationResponse from(Organization.WithRole o) {
        return new OrganizationResponse(o.organization().id, o.organization().name, o.organization().createdAt, o.role().word());
    }
}
