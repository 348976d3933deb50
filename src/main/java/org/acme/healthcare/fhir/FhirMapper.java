package org.acme.healthcare.fhir;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.acme.healthcare.condition.ConditionResponse;
import org.acme.healthcare.doctor.Doctor;
import org.acme.healthcare.mapping.Mapping;
import org.acme.healthcare.patient.PatientResponse;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CareTeam.CareTeamStatus;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;

/**
 * Our records as FHIR R4 resources conforming to US Core 6.1.0 (docs/fhir.md's mapping table).
 * {@code id} is the record's id, {@code meta.versionId} its version, {@code meta.lastUpdated} its
 * {@code updatedAt}, {@code meta.profile} the US Core profile it conforms to. What US Core requires
 * and the record does not hold is said with a data-absent-reason, never made up; fields with no FHIR
 * element of the same meaning (a patient's age, a doctor's age and free-text contact info) are left out.
 */
public final class FhirMapper {
    static final String US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/";
    static final String PATIENT_PROFILE = US_CORE + "us-core-patient";
    static final String PRACTITIONER_PROFILE = US_CORE + "us-core-practitioner";
    static final String ORGANIZATION_PROFILE = US_CORE + "us-core-organization";
    static final String CARE_TEAM_PROFILE = US_CORE + "us-core-careteam";
    static final String CONDITION_PROBLEM_PROFILE = US_CORE + "us-core-condition-problems-health-concerns";
    static final String CONDITION_ENCOUNTER_PROFILE = US_CORE + "us-core-condition-encounter-diagnosis";

    /**
     * Identifier systems of this service's own record ids: every Patient, Practitioner and
     * Organization carries its id under one (US Core wants at least one identifier; our doctors
     * and organizations have no NPI, our patients may have no medical record number).
     */
    static final String PATIENT_ID_SYSTEM = "urn:healthcare-api:patient-id";
    static final String PRACTITIONER_ID_SYSTEM = "urn:healthcare-api:doctor-id";
    static final String ORGANIZATION_ID_SYSTEM = "urn:healthcare-api:organization-id";

    static final String DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
    static final String CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category";
    /** US Core's own category code system: {@code health-concern} is there, not in THO's. */
    static final String US_CORE_CONDITION_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/condition-category";
    static final String SNOMED = "http://snomed.info/sct";
    static final String CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    static final String CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    /** The prefix of the id of the Condition that carries a patient's free-text {@code disease}. */
    static final String DISEASE_ID_PREFIX = "d";

    private FhirMapper() {
    }

    /**
     * From the REST representation, so that a current read and a version from the history map
     * alike. US Core's {@code gender} is 1..1 with a required binding: a record without one is
     * {@code unknown}, the value set's code for it (US Core, "Missing Data").
     */
    public static Patient patient(PatientResponse p) {
        Patient r = new Patient();
        meta(r, String.valueOf(p.id()), p.version(), p.updatedAt(), PATIENT_PROFILE);
        if (p.identifiers() != null) {
            p.identifiers().forEach(i -> r.addIdentifier().setSystem(i.system()).setValue(i.value()));
        }
        r.addIdentifier().setSystem(PATIENT_ID_SYSTEM).setValue(String.valueOf(p.id()));
        HumanName name = new HumanName().setText(p.name());
        boolean hasGiven = p.givenNames() != null && !p.givenNames().isEmpty();
        if (p.familyName() != null && !p.familyName().isBlank()) {
            name.setFamily(p.familyName());
        }
        if (hasGiven) {
            p.givenNames().forEach(name::addGiven);
        }
        if (!name.hasFamily() && !hasGiven) {
            // No structured name in the record: said so (US Core's us-core-6: family/given xor this).
            name.addExtension(absent("unknown"));
        }
        r.addName(name);
        r.setGender(p.gender() == null ? AdministrativeGender.UNKNOWN : AdministrativeGender.fromCode(p.gender()));
        if (p.birthDate() != null) {
            r.setBirthDateElement(new DateType(p.birthDate().toString()));
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
        if (p.organizationId() != null) {
            r.setManagingOrganization(new Reference("Organization/" + p.organizationId()));
        }
        return r;
    }

    /**
     * A doctor of the directory. US Core wants an identifier and {@code name.family}; a doctor has
     * one free-text name and no NPI: the identifier is the doctor's id in our own system, the
     * family name a data-absent-reason {@code unsupported} (the directory does not split names),
     * the name itself in {@code name.text}.
     */
    public static Practitioner practitioner(Doctor d) {
        Practitioner r = new Practitioner();
        meta(r, String.valueOf(d.id), d.version, d.updatedAt, PRACTITIONER_PROFILE);
        r.addIdentifier().setSystem(PRACTITIONER_ID_SYSTEM).setValue(String.valueOf(d.id));
        HumanName name = new HumanName().setText(d.name);
        name.getFamilyElement().addExtension(absent("unsupported"));
        r.addName(name);
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

    /** An organization (a clinic) as its members see it: active while it exists. */
    static Organization organization(org.acme.healthcare.organization.Organization o) {
        Organization r = new Organization();
        meta(r, String.valueOf(o.id), o.version, o.updatedAt, ORGANIZATION_PROFILE);
        r.addIdentifier().setSystem(ORGANIZATION_ID_SYSTEM).setValue(String.valueOf(o.id));
        r.setActive(true).setName(o.name);
        return r;
    }

    /**
     * The patient's one care team (id = the patient's id): a participant per assigned doctor, each
     * with the role "medical practitioner" (SNOMED CT 158965000). US Core wants at least one
     * participant: a patient with no doctor has no CareTeam (callers ask only when there is one).
     */
    static CareTeam careTeam(long patientId, List<Mapping> assignments) {
        CareTeam team = new CareTeam();
        team.setId(String.valueOf(patientId));
        team.getMeta().addProfile(CARE_TEAM_PROFILE);
        team.setStatus(CareTeamStatus.ACTIVE);
        team.setSubject(new Reference("Patient/" + patientId));
        for (Mapping m : assignments) {
            team.addParticipant()
                    .addRole(new CodeableConcept(new Coding(SNOMED, "158965000", "Medical practitioner")).setText("Assigned doctor"))
                    .setMember(new Reference("Practitioner/" + m.doctor.id).setDisplay(m.doctor.name))
                    .setPeriod(new Period().setStart(Date.from(m.createdAt)));
        }
        return team;
    }

    /**
     * The patient's free-text {@code disease} as a problem-list item (id {@code d{patientId}};
     * version and time are the patient record's). Text only: US Core's condition code binding is
     * extensible, so a text with no code conforms. No clinical status: the record does not say
     * whether it is still active.
     */
    public static Condition disease(PatientResponse p) {
        Condition c = new Condition();
        meta(c, DISEASE_ID_PREFIX + p.id(), p.version(), p.updatedAt(), CONDITION_PROBLEM_PROFILE);
        c.addCategory(new CodeableConcept(new Coding(CONDITION_CATEGORY, "problem-list-item", "Problem List Item")));
        c.setSubject(new Reference("Patient/" + p.id()));
        c.setCode(new CodeableConcept().setText(p.disease()));
        return c;
    }

    /**
     * A coded (or text) condition of the patient, under the US Core profile of its category:
     * encounter-diagnosis, else problems and health concerns. {@code health-concern} is in US
     * Core's own category code system. R4's con-4 (an abated condition's clinical status is
     * inactive, resolved or remission) is an error: an abatement date the record's status
     * contradicts is left out rather than served as an invalid resource.
     */
    public static Condition condition(ConditionResponse c) {
        Condition r = new Condition();
        boolean encounter = "encounter-diagnosis".equals(c.category());
        meta(r, String.valueOf(c.id()), c.version(), c.updatedAt(),
                encounter ? CONDITION_ENCOUNTER_PROFILE : CONDITION_PROBLEM_PROFILE);
        if (c.clinicalStatus() != null) {
            r.setClinicalStatus(new CodeableConcept(new Coding(CONDITION_CLINICAL, c.clinicalStatus(), null)));
        }
        if (c.verificationStatus() != null) {
            r.setVerificationStatus(new CodeableConcept(new Coding(CONDITION_VERIFICATION, c.verificationStatus(), null)));
        }
        String categorySystem = "health-concern".equals(c.category()) ? US_CORE_CONDITION_CATEGORY : CONDITION_CATEGORY;
        r.addCategory(new CodeableConcept(new Coding(categorySystem, c.category(), null)));
        CodeableConcept code = new CodeableConcept();
        if (c.code() != null) {
            code.addCoding(new Coding(c.code().system(), c.code().code(), c.code().display()));
        }
        if (c.text() != null && !c.text().isBlank()) {
            code.setText(c.text());
        }
        r.setCode(code);
        r.setSubject(new Reference("Patient/" + c.patientId()));
        if (c.onsetDate() != null) {
            r.setOnset(new DateTimeType(c.onsetDate().toString()));
        }
        if (c.abatementDate() != null && ABATED.contains(c.clinicalStatus())) {
            r.setAbatement(new DateTimeType(c.abatementDate().toString()));
        }
        if (c.recordedAt() != null) {
            r.setRecordedDate(Date.from(c.recordedAt()));
        }
        return r;
    }

    /** The clinical statuses an abated condition may have (R4's con-4). */
    static final java.util.Set<String> ABATED = java.util.Set.of("inactive", "resolved", "remission");

    public static boolean hasDisease(PatientResponse p) {
        return p.disease() != null && !p.disease().isBlank();
    }

    private static Extension absent(String reason) {
        return new Extension(DATA_ABSENT_REASON, new CodeType(reason));
    }

    private static void meta(DomainResource r, String id, long version, Instant updatedAt, String profile) {
        r.setId(id);
        r.getMeta().setVersionId(String.valueOf(version));
        if (updatedAt != null) {
            r.getMeta().setLastUpdated(Date.from(updatedAt));
        }
        r.getMeta().addProfile(profile);
    }
}
