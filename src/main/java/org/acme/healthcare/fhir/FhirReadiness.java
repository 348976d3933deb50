package org.acme.healthcare.fhir;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness is DOWN while HAPI's model is still loading after start-up ({@link Fhir}): a replica
 * gets traffic only once it can answer every route, /fhir included, without waiting. DOWN for good
 * when the load failed (the log says why).
 */
@Readiness
@ApplicationScoped
public class FhirReadiness implements HealthCheck {
    static final String NAME = "FHIR model";
    private final Fhir fhir;

    FhirReadiness(Fhir fhir) {
        this.fhir = fhir;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME);
        if (fhir.isReady()) {
            return response.up().build();
        }
        return response.down().withData("state", fhir.hasFailed() ? "failed" : "loading").build();
    }
}
