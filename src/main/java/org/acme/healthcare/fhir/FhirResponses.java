package org.acme.healthcare.fhir;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;

import org.hl7.fhir.r4.model.Resource;

/** A single read: the resource with {@code ETag: W/"<version>"} (FHIR uses weak ETags). */
final class FhirResponses {
    private FhirResponses() {
    }

    static Response read(Resource resource, long version) {
        return Response.ok(resource).type(Fhir.MEDIA_TYPE).tag(new EntityTag(Long.toString(version), true)).build();
    }
}
