package org.acme.healthcare.common;

import java.util.Optional;

/**
 * A part of the service whose paths answer errors in a format of their own (the FHIR view:
 * {@code OperationOutcome}). {@link HttpLayerProblems} asks these before it writes a problem
 * document for an error the HTTP layer answers itself.
 */
public interface PathErrorBodies {
    /** The body for an error on this path, or empty when the path is not this part's. */
    Optional<Body> body(String path, int status, String detail);

    record Body(String mediaType, String content) {
    }
}
