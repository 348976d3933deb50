package org.acme.healthcare.patient;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.acme.healthcare.audit.Audit.Action;
import org.acme.healthcare.audit.Audit.Outcome;
import org.acme.healthcare.audit.Audit.RecordType;
import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Etags;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.Problem;
import org.acme.healthcare.mapping.MappingCascade;
import org.acme.healthcare.patient.PatientAccess.Filter;
import org.acme.healthcare.patient.PatientAccess.Found;
import org.acme.healthcare.patient.PatientAccess.Level;
import org.acme.healthcare.patient.PatientAccess.Scope;

import io.quarkus.arc.Unremovable;

/**
 * Every read and change of patient records, decided by {@link PatientAccess} in the query and
 * audited: a change in its own transaction, a read or a refused attempt through the audit writer,
 * each naming the organization it went through. A refusal is {@code denied} when the record
 * exists and {@code not_found} when it does not; the caller sees 404 either way unless it is a
 * member of the record's organization (then 403: it may know the record, not do this).
 */
@ApplicationScoped
public class PatientService {
    /**
     * A patient's owner is the caller: an account deleted while its request ran is that token's
     * 401. An organization deleted while a patient was being created in or moved into it is gone.
     */
    @Produces
    @Unremovable
    static final ApiException.Constraints CONSTRAINTS = new ApiException.Constraints(Map.of(
            "patients_owner_fk", ApiException.unauthorized("The account behind this token no longer exists."),
            "patients_organization_fk", ApiException.notFound("Organization"),
            "patients_restricted_in_organization_check",
            ApiException.invalidField("restricted", "applies only to a patient of an organization"),
            "patient_identifiers_organization_uk",
            ApiException.conflict("Another patient of this organization has one of these identifiers."),
            "patient_identifiers_personal_uk",
            ApiException.conflict("Another of your personal patients has one of these identifiers.")));

    private final AuditLog audit;
    private final MappingCascade mappings;
    private final TransactionSynchronizationRegistry transaction;

    PatientService(AuditLog audit, MappingCascade mappings, TransactionSynchronizationRegistry transaction) {
        this.audit = audit;
        this.mappings = mappings;
        this.transaction = transaction;
    }

    /** The record if the caller may read it; audited as a read (under break-glass: with the grant's reason). */
    public Patient read(long id, long callerId, boolean admin) {
        return readable(Action.READ, id, callerId, admin).patient();
    }

    /** The caller's read access to the record, audited; else the refusal: 404, or 403 break-glass-required. */
    Found readable(Action action, long id, long callerId, boolean admin) {
        return readable(action, id, callerId, admin, null);
    }

    /**
     * As {@link #readable(Action, long, long, boolean)} for a read of something of the record (its
     * conditions): audited as a read of the patient, with {@code detail} saying what was read.
     */
    public Found readable(Action action, long id, long callerId, boolean admin, Map<String, Object> detail) {
        Found found = PatientAccess.read(id, callerId, admin).filter(f -> f.level() != Level.NONE)
                .orElseThrow(() -> refused(action, id));
        Long organization = found.patient().organizationId;
        if (!found.level().readable()) {
            audit.accessed(action, RecordType.PATIENT, id, Outcome.DENIED, organization, detail);
            throw breakGlassRequired();
        }
        Map<String, Object> grant = breakGlass(found);
        Map<String, Object> all = detail == null ? grant : grant == null ? detail : merged(detail, grant);
        audit.accessed(action, RecordType.PATIENT, id, Outcome.SUCCESS, organization, all);
        return found;
    }

    private static Map<String, Object> merged(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> both = new LinkedHashMap<>(a);
        both.putAll(b);
        return both;
    }

    /** One page of the records the caller may read in the scope, audited per organization with the ids returned. */
    public List<Patient> list(Scope scope, long callerId, String q, Identifier identifier, String sort, PageParams page) {
        List<Patient> patients = PatientAccess.list(scope, callerId, filter(q, identifier), PatientAccess.order(sort),
                page.offset(), page.size);
        auditListed(patients);
        return patients;
    }

    public long count(Scope scope, long callerId, String q, Identifier identifier) {
        return PatientAccess.count(scope, callerId, filter(q, identifier));
    }

    private static Filter filter(String q, Identifier identifier) {
        Filter name = nameContains(q);
        return identifier == null ? name : name.and(Filter.identifier(identifier.system(), identifier.value()));
    }

    /** The scope of {@code ?organizationId=}: the caller must be a member (else 404, as an unknown id). */
    public Scope organizationScope(long organizationId, long callerId) {
        if (PatientAccess.role(organizationId, callerId, false).isEmpty()) {
            throw ApiException.notFound("Organization");
        }
        return new Scope.Organization(organizationId);
    }

    /** Records a list or search: one event per organization (null: personal records), each with the ids it returned. */
    public void auditListed(List<Patient> patients) {
        Map<Long, List<Long>> bySpace = new LinkedHashMap<>();
        for (Patient p : patients) {
            bySpace.computeIfAbsent(p.organizationId, k -> new java.util.ArrayList<>()).add(p.id);
        }
        if (bySpace.isEmpty()) {
            audit.listed(RecordType.PATIENT, List.of());
        }
        bySpace.forEach((organization, ids) -> audit.listed(RecordType.PATIENT, ids, organization));
    }

    public ApiException listAllDenied() {
        audit.accessed(Action.LIST, RecordType.PATIENT, null, Outcome.DENIED);
        return ApiException.forbidden("Only an admin may list every user's patients.");
    }

    @Transactional
    public Patient create(long callerId, PatientRequest request) {
        Patient p = new Patient();
        p.ownerId = callerId;
        request.organizationId().ifGiven(organization -> {
            if (organization != null) {
                requireWriter(organization, callerId);
                p.organizationId = organization;
            }
        });
        apply(request, p);
        p.persistAndFlush();
        // Its creator may change it (its owner, a writer of its organization, whose row is locked).
        decisions().put(new Decision(p.id, callerId), Optional.ofNullable(p.organizationId));
        audit.changed(Action.CREATE, RecordType.PATIENT, p.id, p.organizationId, null);
        return p;
    }

    /**
     * Sets the fields present in the body; the version check makes a concurrent change a 409,
     * never a lost update. An {@code organizationId} moves a personal record into that
     * organization (its owner being an admin or clinician there); a record never leaves its organization.
     */
    @Transactional
    public Patient update(long id, long callerId, boolean admin, String ifMatch, PatientRequest request) {
        Patient p = writable(Action.UPDATE, id, callerId, admin);
        forgetDecisions(id);
        Etags.checkIfMatch(ifMatch, p.version);
        request.organizationId().ifGiven(organization -> move(p, organization, callerId));
        apply(request, p);
        p.flush();
        audit.changed(Action.UPDATE, RecordType.PATIENT, id, p.organizationId, null);
        return p;
    }

    private void move(Patient p, Long organization, long callerId) {
        if (Objects.equals(p.organizationId, organization)) {
            return;
        }
        if (p.organizationId != null) {
            throw ApiException.conflict("A patient never leaves its organization.");
        }
        requireWriter(organization, callerId);
        p.organizationId = organization;
        mappings.moveToOrganization(p.id, organization);
    }

    /** The caller may create records in the organization (admin or clinician): else 403 (a reader) or 404 (not a member). */
    private static void requireWriter(long organization, long callerId) {
        String role = PatientAccess.role(organization, callerId, true)
                .orElseThrow(() -> ApiException.notFound("Organization"));
        if (role.equals("reader")) {
            throw ApiException.forbidden("A reader of this organization cannot add or change its patients.");
        }
    }

    /** The fields the body gave (a value, or null to clear); on a new record an absent field stays null. */
    private static void apply(PatientRequest request, Patient p) {
        request.name().ifGiven(v -> p.name = v.strip());
        request.age().ifGiven(v -> p.age = v);
        request.gender().ifGiven(v -> p.gender = v);
        request.address().ifGiven(v -> p.address = v);
        request.phone().ifGiven(v -> p.phone = v);
        request.email().ifGiven(v -> p.email = v);
        request.disease().ifGiven(v -> p.disease = v);
        request.restricted().ifGiven(v -> p.restricted = Boolean.TRUE.equals(v));
        request.familyName().ifGiven(v -> p.familyName = v == null ? null : v.strip());
        request.givenNames().ifGiven(v -> p.givenNames = v == null || v.isEmpty() ? null : v.stream().map(String::strip).toList());
        request.identifiers().ifGiven(v -> p.identifiers = identifiers(v));
        request.birthDate().ifGiven(v -> p.birthDate = v);
        request.age().ifGiven(age -> {
            if (age != null && p.birthDate != null && !age.equals(p.age())) {
                throw ApiException.invalidField("age", "disagrees with birthDate " + p.birthDate + " (age " + p.age() + " today, UTC)");
            }
        });
        if (p.birthDate != null) {
            p.age = null; // derived from the birth date from now on; never stale
        }
        if (p.restricted && p.organizationId == null) {
            throw ApiException.invalidField("restricted", "applies only to a patient of an organization");
        }
    }

    /** The list as sent; the same (system, value) twice is a 400 (the database would refuse it less clearly). */
    private static List<Identifier> identifiers(List<Identifier> sent) {
        if (sent == null) {
            return new java.util.ArrayList<>();
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Identifier i : sent) {
            if (!seen.add(i.token())) {
                throw ApiException.invalidField("identifiers", "lists the same value of " + i.system() + " twice");
            }
        }
        return new java.util.ArrayList<>(sent);
    }

    /**
     * Deletes the patient and its mappings, each audited as a delete of that mapping. Envers
     * keeps the deleted state as the history's newest revision.
     */
    @Transactional
    public void delete(long id, long callerId, boolean admin, String ifMatch) {
        Patient p = writable(Action.DELETE, id, callerId, admin);
        forgetDecisions(id);
        Etags.checkIfMatch(ifMatch, p.version);
        mappings.removeAllOfPatient(id, p.organizationId);
        org.acme.healthcare.condition.ConditionService.deleteAllOf(id);
        p.delete();
        p.flush();
        audit.changed(Action.DELETE, RecordType.PATIENT, id, p.organizationId, null);
    }

    /**
     * The record, locked, when the caller may change it (in a transaction): else 404 (no such
     * record, or the caller is not in its space) or 403 (a member who may not change it), audited.
     */
    public Patient writable(Action action, long id, long callerId, boolean admin) {
        return writable(action, RecordType.PATIENT, id, id, callerId, admin, "Patient");
    }

    /**
     * As {@link #writable(Action, long, long, boolean)}, for a change of something of the patient
     * (a mapping): refusals are audited as {@code action} on {@code type}/{@code recordId}, and
     * the 404 names {@code what}.
     */
    public Patient writable(Action action, RecordType type, Long recordId, long patientId, long callerId, boolean admin,
            String what) {
        Found found = PatientAccess.forWrite(patientId, callerId, admin).orElse(null);
        if (found == null || found.level() == Level.NONE) {
            audit.accessed(action, type, recordId, found == null && !Patient.exists(patientId) ? Outcome.NOT_FOUND : Outcome.DENIED);
            throw ApiException.notFound(what);
        }
        if (found.level() == Level.WRITE) {
            return found.patient();
        }
        if (!found.level().member()) {
            audit.accessed(action, type, recordId, Outcome.DENIED);
            throw ApiException.notFound(what);
        }
        audit.accessed(action, type, recordId, Outcome.DENIED, found.patient().organizationId, null);
        throw ApiException.forbidden("You may not change this patient's record.");
    }

    /** Who may change which patient, as decided in the current transaction (a caller's admin flag is the token's: fixed). */
    private record Decision(long patient, long caller) {
    }

    /**
     * For a change of something of the patient (a condition): the organization of a record the
     * caller may change (empty: a personal record), else the refusal of {@link #writable}. Decided
     * once a transaction: the first decision locks the record's row and its organization's row
     * until the transaction ends, so nothing can change it before then, and a bundle's conditions
     * of one patient ask the database once, and those of a patient created in it not at all. A
     * change of the record itself forgets it.
     */
    public Optional<Long> writableOrganization(Action action, long patientId, long callerId, boolean admin) {
        Map<Decision, Optional<Long>> decided = decisions();
        Decision key = new Decision(patientId, callerId);
        Optional<Long> organization = decided.get(key);
        if (organization == null) {
            organization = Optional.ofNullable(writable(action, RecordType.PATIENT, patientId, patientId, callerId, admin, "Patient")
                    .organizationId);
            decided.put(key, organization);
        }
        return organization;
    }

    private Map<Decision, Optional<Long>> decisions() {
        @SuppressWarnings("unchecked")
        Map<Decision, Optional<Long>> decided = (Map<Decision, Optional<Long>>) transaction.getResource(Decision.class);
        if (decided == null) {
            decided = new HashMap<>();
            transaction.putResource(Decision.class, decided);
        }
        return decided;
    }

    private void forgetDecisions(long patientId) {
        @SuppressWarnings("unchecked")
        Map<Decision, Optional<Long>> decided = (Map<Decision, Optional<Long>>) transaction.getResource(Decision.class);
        if (decided != null) {
            decided.keySet().removeIf(d -> d.patient() == patientId);
        }
    }

    /** Audits a refused access to a patient and answers the 404 the caller sees. */
    public ApiException refused(Action action, long patientId) {
        audit.accessed(action, RecordType.PATIENT, patientId, Patient.exists(patientId) ? Outcome.DENIED : Outcome.NOT_FOUND);
        return ApiException.notFound("Patient");
    }

    public static ApiException breakGlassRequired() {
        return new ApiException(Problem.Type.BREAK_GLASS_REQUIRED, "This record is restricted: read it under a break-glass"
                + " grant (POST /api/patients/{id}/break-glass with a reason).");
    }

    /** The audit detail of a read under break-glass: the flag and the grant's reason. */
    static Map<String, Object> breakGlass(Found found) {
        return found.level() == Level.BREAK_GLASS ? Map.of("breakGlass", true, "reason", found.grantReason()) : null;
    }

    private static Filter nameContains(String q) {
        if (q == null || q.isBlank()) {
            return Filter.NONE;
        }
        return new Filter("lower(p.name) like :q escape '!'", Map.of("q", org.acme.healthcare.common.Like.contains(q)));
    }
}
