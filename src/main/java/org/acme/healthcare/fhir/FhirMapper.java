package org.acme.healthcare.fhir;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.acme.healthcare.doctor.Doctor;
import org.acme.healthcare.mapping.Mapping;
import org.acme.healthcare.patient.PatientResponse;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;

/**
 * Our records as FHIR R4 resources (the README's mapping table). {@code id} is the record's id,
 * {@code meta.versionId} its version, {@code meta.lastUpdated} its {@code updatedAt}. Fields with
 * no FHIR element of the same meaning (a patient's age, a doctor's age and free-text contact
 * info) are left out rather than bent into one.
 */
final class FhirMapper {
    private FhirMapper() {
    }

    /** From the REST representation, so that a current read and a version from the history map alike. */
    static Patient patient(PatientResponse p) {
        Patient r = new Patient();
        meta(r, p.id(), p.version(), p.updatedAt());
        r.addName(new HumanName().setText(p.name()));
        if (p.gender() != null) {
            r.setGender(AdministrativeGender.fromCode(p.gender()));
        }
        if (p.phone() != null && !p.phone().isBlank()) {
            r.addTelecom().setSystem(ContactPointSystem.PHONE).setValue(p.phone());
        }
        if (p.email() != null && !p.email().isBlank()) {
            r.addTelecom().setSystem(ContactPointSystem.EMAIL).setValue(p.email());
        }
        if (p.address() != null && !p.address().isBlank()) {
            r.addAddress(new Address().setText(p.address()));
        }
        return r;
    }

    static Practitioner practitioner(Doctor d) {
        Practitioner r = new Practitioner();
        meta(r, d.id, d.version, d.updatedAt);
        r.addName(new HumanName().setText(d.name));
        if (d.phone != null && !d.phone.isBlank()) {
            r.addTelecom().setSystem(ContactPointSystem.PHONE).setValue(d.phone);
        }
        if (d.email != null && !d.email.isBlank()) {
            r.addTelecom().setSystem(ContactPointSystem.EMAIL).setValue(d.email);
        }
        if (d.specialization != null && !d.specialization.isBlank()) {
            r.addQualification().setCode(new CodeableConcept().setText(d.specialization));
        }
        return r;
    }

    /** The patient's one care team (id = the patient's id): a participant per assigned doctor. */
    static CareTeam careTeam(long patientId, List<Mapping> assignments) {
        CareTeam team = new CareTeam();
        team.setId(String.valueOf(patientId));
        team.setSubject(new Reference("Patient/" + patientId));
        for (Mapping m : assignments) {
            team.addParticipant()
                    .setMember(new Reference("Practitioner/" + m.doctor.id).setDisplay(m.doctor.name))
                    .setPeriod(new Period().setStart(Date.from(m.createdAt)));
        }
        return team;
    }

    /** The patient's {@code disease} (id = the patient's id; version and time are the patient record's). */
    static Condition condition(PatientResponse p) {
        Condition c = new Condition();
        meta(c, p.id(), p.version(), p.updatedAt());
        c.setSubject(new Reference("Patient/" + p.id()));
        c.setCode(new CodeableConcept().setText(p.disease()));
        return c;
    }

    private static void meta(DomainResource r, long id, long version, Instant updatedAt) {
        r.setId(String.valueOf(id));
        r.getMeta().setVersionId(String.valueOf(version));
        if (updatedAt != null) {
            r.getMeta().setLastUpdated(Date.from(updatedAt));
        }
    }
}
