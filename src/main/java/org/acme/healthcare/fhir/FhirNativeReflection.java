package org.acme.healthcare.fhir;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BackboneElement;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MarkdownType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.UrlType;
import org.hl7.fhir.r4.model.BooleanType;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * HAPI builds its model definitions by reflection on the structure classes (their fields and
 * annotations, nested components and enum factories included), which a native image keeps only
 * when registered. These are the resources this service writes and every element type they use;
 * FhirNativeReflectionTest walks the resources the service builds and fails when one is missing.
 * Not verified in a native executable here (no native toolchain on this machine): see the README.
 */
@RegisterForReflection(ignoreNested = false, targets = {
        Patient.class, Practitioner.class, CareTeam.class, Condition.class, Organization.class, Bundle.class,
        CapabilityStatement.class,
        OperationOutcome.class, Enumerations.class,
        Address.class, BackboneElement.class, BooleanType.class, CanonicalType.class, CodeType.class,
        CodeableConcept.class, Coding.class, ContactPoint.class, DateTimeType.class, DateType.class, Enumeration.class,
        Extension.class, HumanName.class, Identifier.class, IdType.class, InstantType.class, MarkdownType.class, Meta.class,
        Narrative.class, Period.class, Reference.class, StringType.class, UnsignedIntType.class, UriType.class,
        UrlType.class })
public final class FhirNativeReflection {
    private FhirNativeReflection() {
    }
}
