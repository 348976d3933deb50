package org.acme.healthcare.fhir;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import io.quarkus.runtime.StartupEvent;

/**
 * The one {@link FhirContext} of the service (building one scans the model, so it is made once)
 * and the JSON encoding of resources. A parser is cheap and not thread-safe: one per call.
 */
@ApplicationScoped
public class Fhir {
    public static final String MEDIA_TYPE = "application/fhir+json";
    public static final String VERSION = "4.0.1";
    /** The resource types this service serves, plus the ones it answers with. */
    static final List<Class<? extends IBaseResource>> TYPES = List.of(Patient.class, Practitioner.class, CareTeam.class,
            Condition.class, Organization.class, Bundle.class, CapabilityStatement.class, OperationOutcome.class);

    private final FhirContext context = FhirContext.forR4();

    public FhirContext context() {
        return context;
    }

    public String json(IBaseResource resource) {
        return parser().encodeResourceToString(resource);
    }

    public IParser parser() {
        // Nulls and empty elements are left out; ids and meta stay as set.
        return context.newJsonParser().setPrettyPrint(false);
    }

    /**
     * Scans the model of every type served soon after start-up, not on the first FHIR request, and
     * on a thread of its own, not before the service is ready: the scan is a large part of a start.
     * A FHIR request that comes first waits for the scan inside HAPI (its initialisation is synchronised).
     */
    void warmUp(@Observes StartupEvent event) {
        Thread thread = new Thread(() -> TYPES.forEach(context::getResourceDefinition), "fhir-warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
