package org.acme.healthcare.http;

import java.util.Optional;

/**
 * A part of the service whose paths answer errors in a format of their own (the FHIR view:
 * {@code OperationOutcome}). {@link HttpLayerProblems} and {@link HttpCodecProblems} ask these
 * before they write a problem document for an error answered before any resource runs. It stays
 * here, implemented in the feature's folder ({@code fhir/FhirHttpErrors}), so that common/
 * imports no feature.
 */
public interface PathErrorBodies {
    /** The body for an error on this path, or empty when the path is not this part's. */
    Optional<Body> body(String path, int status, String detail);

    record Body(String mediaType, String content) {
    }
}
