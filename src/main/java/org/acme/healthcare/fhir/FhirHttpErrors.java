package org.acme.healthcare.fhir;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.healthcare.http.PathErrorBodies;

/** Errors the HTTP layer answers before JAX-RS (413, a broken Content-Length) are OperationOutcomes under /fhir too. */
@ApplicationScoped
public class FhirHttpErrors implements PathErrorBodies {
    private final Fhir fhir;

    FhirHttpErrors(Fhir fhir) {
        this.fhir = fhir;
    }

    @Override
    public Optional<Body> body(String path, int status, String detail) {
        if (!FhirErrors.isFhirPath(path)) {
            return Optional.empty();
        }
        return Optional.of(new Body(Fhir.MEDIA_TYPE, fhir.json(FhirErrors.outcome(status, detail))));
    }
}
