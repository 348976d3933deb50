package org.acme.healthcare.mapping;

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
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.doctor.Doctor;
import org.acme.healthcare.patient.Patient;
import org.acme.healthcare.patient.PatientAccess;
import org.acme.healthcare.patient.PatientService;

import io.quarkus.arc.Unremovable;

/** Assignments of doctors to patients, audited like the patient records they reveal. */
@ApplicationScoped
public class MappingService {
    /** A pair assigned twice is a conflict; a patient or doctor deleted meanwhile is gone (404). */
    @Produces
    @Unremovable
    static final ApiException.Constraints CONSTRAINTS = new ApiException.Constraints(Map.of(
            "mappings_patient_doctor_uk", ApiException.conflict("This doctor is already assigned to this patient."),
            "mappings_patient_fk", ApiException.notFound("Patient"),
            "mappings_doctor_fk", ApiException.notFound("Doctor")));

    private final AuditLog audit;
    private final PatientService patients;

    MappingService(AuditLog audit, PatientService patients) {
        this.audit = audit;
        this.patients = patients;
    }

    /**
     * The caller must be allowed to change the patient ({@link PatientService#writable}: 404 when
     * it may not see it, 403 when it may only read it) and the doctor must exist; the unique pair
     * constraint backs the 409. The mapping carries its patient's organization.
     */
    @Transactional
    public Mapping create(long callerId, boolean admin, MappingRequest request) {
        Patient patient = patients.writable(Action.CREATE, RecordType.MAPPING, null, request.patientId(), callerId, admin,
                "Patient");
        Doctor doctor = Doctor.<Doctor> findByIdOptional(request.doctorId())
                .orElseThrow(() -> ApiException.notFound("Doctor"));
        if (Mapping.exists(patient.id, doctor.id)) {
            throw ApiException.conflict("This doctor is already assigned to this patient.");
        }
        Mapping m = new Mapping();
        m.patient = patient;
        m.doctor = doctor;
        m.organizationId = patient.organizationId;
        m.persistAndFlush();
        audit.changed(Action.CREATE, RecordType.MAPPING, m.id, m.organizationId, null);
        return m;
    }

    /** The doctors of a patient the caller may read; a read of that patient's record. */
    public List<Mapping> doctorsOf(long patientId, long callerId, boolean admin, PageParams page) {
        Patient patient = patients.read(patientId, callerId, admin);
        return Mapping.ofPatient(patient.id, page);
    }

    /**
     * A page of the mappings of the patients the caller may read. Each shows its patient's id and
     * name, so besides the list of mappings it is recorded as a list of those patients (one event
     * per organization): "who saw patient X" finds it.
     */
    public List<Mapping> list(PatientAccess.Scope scope, long callerId, PageParams page) {
        List<Mapping> mappings = Mapping.list(scope, callerId, page);
        audit.accessed(Action.LIST, RecordType.MAPPING, null, Outcome.SUCCESS);
        List<Patient> shown = mappings.stream().map(m -> m.patient).distinct().toList();
        if (!shown.isEmpty()) {
            patients.auditListed(shown);
        }
        return mappings;
    }

    /** Removing an assignment is a change of its patient: the caller must be allowed to change the patient. */
    @Transactional
    public void delete(long id, long callerId, boolean admin) {
        Mapping m = Mapping.<Mapping> findByIdOptional(id).orElseThrow(() -> {
            audit.accessed(Action.DELETE, RecordType.MAPPING, id, Outcome.NOT_FOUND);
            return ApiException.notFound("Mapping");
        });
        Patient patient = patients.writable(Action.DELETE, RecordType.MAPPING, id, m.patient.id, callerId, admin, "Mapping");
        m.delete();
        m.flush();
        audit.changed(Action.DELETE, RecordType.MAPPING, id, patient.organizationId, null);
    }
}
