package org.acme.healthcare.fhir;

import java.time.LocalDate;
import java.util.Date;

import org.acme.healthcare.condition.ConditionResponse;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Reference;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;

/**
 * A coded condition as a FHIR Condition (id = its id) with what US Core 6.1.0's
 * problems-and-health-concerns and encounter-diagnosis profiles require. The write side's answer
 * until the read side maps coded conditions (with {@code meta.profile}) in FhirMapper; then this
 * delegates there. No {@code meta.profile} here: the base-spec validator of the tests cannot resolve it.
 */
final class FhirCodedCondition {
    private FhirCodedCondition() {
    }

    static Condition of(ConditionResponse c) {
        Condition r = new Condition();
        r.setId(String.valueOf(c.id()));
        r.getMeta().setVersionId(String.valueOf(c.version()));
        if (c.updatedAt() != null) {
            r.getMeta().setLastUpdated(Date.from(c.updatedAt()));
        }
        String categorySystem = "health-concern".equals(c.category()) ? FhirInbound.US_CORE_CATEGORY_SYSTEM
                : FhirInbound.CATEGORY_SYSTEM;
        r.addCategory(new CodeableConcept(new Coding(categorySystem, c.category(), null)));
        if (c.clinicalStatus() != null) {
            r.setClinicalStatus(new CodeableConcept(new Coding(FhirInbound.CLINICAL_SYSTEM, c.clinicalStatus(), null)));
        }
        if (c.verificationStatus() != null) {
            r.setVerificationStatus(new CodeableConcept(new Coding(FhirInbound.VERIFICATION_SYSTEM, c.verificationStatus(), null)));
        }
        CodeableConcept code = new CodeableConcept();
        if (c.code() != null) {
            code.addCoding(new Coding(c.code().system(), c.code().code(), c.code().display()));
        }
        code.setText(c.text());
        r.setCode(code);
        r.setSubject(new Reference("Patient/" + c.patientId()));
        if (c.onsetDate() != null) {
            r.setOnset(day(c.onsetDate()));
        }
        if (c.abatementDate() != null) {
            r.setAbatement(day(c.abatementDate()));
        }
        if (c.recordedAt() != null) {
            r.setRecordedDate(Date.from(c.recordedAt()));
        }
        return r;
    }

    /** A date as a dateTime of day precision ({@code 2019-04-01}), never shifted by a time zone. */
    private static DateTimeType day(LocalDate date) {
        DateTimeType t = new DateTimeType();
        t.setValueAsString(date.toString());
        t.setPrecision(TemporalPrecisionEnum.DAY);
        return t;
    }
}
