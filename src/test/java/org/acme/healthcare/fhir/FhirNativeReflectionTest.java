package org.acme.healthcare.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.acme.healthcare.common.Problem;
import org.acme.healthcare.doctor.Doctor;
import org.acme.healthcare.mapping.Mapping;
import org.acme.healthcare.patient.PatientResponse;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every FHIR model class in what the service builds (each resource with every field set, a
 * search Bundle around them, the CapabilityStatement and an OperationOutcome) is registered for
 * reflection by FhirNativeReflection (itself or as a nested class of a registered one), so a
 * new element cannot go unregistered for native images.
 */
class FhirNativeReflectionTest {

    @Test
    void everyModelClassTheServiceWritesIsRegistered() {
        Doctor d = new Doctor();
        d.id = 2L;
        d.name = "Dr";
        d.specialization = "Cardiology";
        d.phone = "1";
        d.email = "d@example.com";
        d.updatedAt = Instant.now();
        Mapping m = new Mapping();
        m.doctor = d;
        m.createdAt = Instant.now();
        PatientResponse p = new PatientResponse(1L, "P", 3, "female", "addr", "1", "p@example.com", "Flu", Instant.now(),
                Instant.now(), 0, 5L, false, java.time.LocalDate.of(1990, 1, 2), "P", List.of("Pat"),
                List.of(new org.acme.healthcare.patient.Identifier("http://h.example/mrn", "1")));
        org.acme.healthcare.organization.Organization o = new org.acme.healthcare.organization.Organization();
        o.id = 5L;
        o.name = "Clinic";
        o.updatedAt = Instant.now();
        var coded = new org.acme.healthcare.condition.ConditionResponse(3L, 1L,
                new org.acme.healthcare.condition.ConditionCode("http://snomed.info/sct", "44054006", "Diabetes"), "T2D",
                "problem-list-item", "resolved", "confirmed", java.time.LocalDate.of(2015, 1, 1),
                java.time.LocalDate.of(2016, 1, 1), Instant.now(), 1L, 0, Instant.now(), Instant.now());
        List<Resource> built = List.of(FhirMapper.patient(p), FhirMapper.practitioner(d), FhirMapper.careTeam(1, List.of(m)),
                FhirMapper.disease(p), FhirMapper.organization(o), FhirMapper.condition(coded),
                FhirMetadataResource.statement(new Date(), "https://api.example/auth/token", "https://api.example/auth/authorize"),
                FhirErrors.outcome(new Problem("t", "Bad Request", 400, "d", "/fhir", null, null)));
        List<Resource> all = new ArrayList<>(built);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(1);
        bundle.addLink().setRelation("self").setUrl("Patient");
        bundle.addEntry().setFullUrl("urn:uuid:x").setResource(FhirMapper.patient(p)).getSearch()
                .setMode(Bundle.SearchEntryMode.MATCH);
        all.add(bundle);

        RegisterForReflection registration = FhirNativeReflection.class.getAnnotation(RegisterForReflection.class);
        Set<Class<?>> registered = Set.copyOf(Arrays.asList(registration.targets()));
        FhirContext ctx = FhirContext.forR4Cached();
        Set<String> missing = new TreeSet<>();
        for (Resource r : all) {
            for (IBase element : ctx.newTerser().getAllPopulatedChildElementsOfType(r, IBase.class)) {
                if (!covered(element.getClass(), registered)) {
                    missing.add(element.getClass().getName());
                }
            }
            if (!covered(r.getClass(), registered)) {
                missing.add(r.getClass().getName());
            }
        }
        assertEquals(Set.of(), missing, "add to FhirNativeReflection");
    }

    private static boolean covered(Class<?> type, Set<Class<?>> registered) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (registered.contains(c)) {
                return true;
            }
        }
        return false;
    }
}
