package org.acme.healthcare.patient;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.transaction.Transactional;

import org.acme.healthcare.audit.Audit.Action;
import org.acme.healthcare.audit.Audit.Outcome;
import org.acme.healthcare.audit.Audit.RecordType;
import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Etags;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.mapping.MappingCascade;

import io.quarkus.arc.Unremovable;
import io.quarkus.panache.common.Sort;

/**
 * Every read and change of patient records, scoped to the owner in the query and audited: a
 * change in its own transaction, a read or a refused attempt through the audit writer. A
 * refusal is {@code denied} when the record exists (another user's) and {@code not_found} when
 * it does not; the caller sees 404 either way.
 */
@ApplicationScoped
public class PatientService {
    /** A patient's owner is the caller: an account deleted while its request ran is that token's 401. */
    @Produces
    @Unremovable
    static final ApiException.Constraints CONSTRAINTS = new ApiException.Constraints(Map.of(
            "patients_owner_fk", ApiException.unauthorized("The account behind this token no longer exists.")));

    private final AuditLog audit;
    private final MappingCascade mappings;

    PatientService(AuditLog audit, MappingCascade mappings) {
        this.audit = audit;
        this.mappings = mappings;
    }

    public Patient read(long id, long callerId, boolean admin) {
        Patient p = Patient.findReadable(id, callerId, admin).orElseThrow(() -> refused(Action.READ, id));
        audit.accessed(Action.READ, RecordType.PATIENT, id, Outcome.SUCCESS);
        return p;
    }

    public List<Patient> list(Long ownerId, String q, Sort sort, PageParams page) {
        List<Patient> patients = Patient.list(ownerId, q, sort, page);
        audit.listed(RecordType.PATIENT, patients.stream().map(p -> p.id).toList());
        return patients;
    }

    public ApiException listAllDenied() {
        audit.accessed(Action.LIST, RecordType.PATIENT, null, Outcome.DENIED);
        return ApiException.forbidden("Only an admin may list every user's patients.");
    }

    @Transactional
    public Patient create(long ownerId, PatientRequest request) {
        Patient p = new Patient();
        p.ownerId = ownerId;
        apply(request, p);
        p.persistAndFlush();
        audit.inTransaction(Action.CREATE, RecordType.PATIENT, p.id);
        return p;
    }

    /** Sets the fields present in the body; the version check makes a concurrent change a 409, never a lost update. */
    @Transactional
    public Patient update(long id, long ownerId, String ifMatch, PatientRequest request) {
        Patient p = Patient.findOwned(id, ownerId).orElseThrow(() -> refused(Action.UPDATE, id));
        Etags.checkIfMatch(ifMatch, p.version);
        apply(request, p);
        p.flush();
        audit.inTransaction(Action.UPDATE, RecordType.PATIENT, id);
        return p;
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
    }

    /**
     * Deletes the patient and its mappings, each audited as a delete of that mapping. Envers
     * keeps the deleted state as the history's newest revision.
     */
    @Transactional
    public void delete(long id, long ownerId, String ifMatch) {
        Patient p = Patient.findOwnedForUpdate(id, ownerId).orElseThrow(() -> refused(Action.DELETE, id));
        Etags.checkIfMatch(ifMatch, p.version);
        mappings.removeAllOfPatient(id);
        p.delete();
        p.flush();
        audit.inTransaction(Action.DELETE, RecordType.PATIENT, id);
    }

    /** Audits a refused access to a patient and answers the 404 the caller sees. */
    public ApiException refused(Action action, long patientId) {
        audit.accessed(action, RecordType.PATIENT, patientId, Patient.exists(patientId) ? Outcome.DENIED : Outcome.NOT_FOUND);
        return ApiException.notFound("Patient");
    }
}
