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

    /** The patient must be the caller's and the doctor must exist; the unique pair constraint backs the 409. */
    @Transactional
    public Mapping create(long ownerId, MappingRequest request) {
        Patient patient = Patient.findOwned(request.patientId(), ownerId).orElseThrow(() -> {
            audit.accessed(Action.CREATE, RecordType.MAPPING, null,
                    Patient.exists(request.patientId()) ? Outcome.DENIED : Outcome.NOT_FOUND);
            return ApiException.notFound("Patient");
        });
        Doctor doctor = Doctor.<Doctor> findByIdOptional(request.doctorId())
                .orElseThrow(() -> ApiException.notFound("Doctor"));
        if (Mapping.exists(patient.id, doctor.id)) {
            throw ApiException.conflict("This doctor is already assigned to this patient.");
        }
        Mapping m = new Mapping();
        m.patient = patient;
        m.doctor = doctor;
        m.persistAndFlush();
        audit.inTransaction(Action.CREATE, RecordType.MAPPING, m.id);
        return m;
    }

    /** The doctors of a patient the caller may read; a read of that patient's record. */
    public List<Mapping> doctorsOf(long patientId, long callerId, boolean admin, PageParams page) {
        Patient patient = patients.read(patientId, callerId, admin);
        return Mapping.ofPatient(patient.id, page);
    }

    /**
     * A page of mappings. Each shows its patient's id and name, so besides the list of mappings it
     * is recorded as a list of those patients: "who saw patient X" finds it.
     */
    public List<Mapping> list(Long ownerId, PageParams page) {
        List<Mapping> mappings = Mapping.list(ownerId, page);
        audit.accessed(Action.LIST, RecordType.MAPPING, null, Outcome.SUCCESS);
        List<Long> patientIds = mappings.stream().map(m -> m.patient.id).distinct().toList();
        if (!patientIds.isEmpty()) {
            audit.listed(RecordType.PATIENT, patientIds);
        }
        return mappings;
    }

    @Transactional
    public void delete(long id, long ownerId) {
        Mapping m = Mapping.findOwned(id, ownerId).orElseThrow(() -> {
            audit.accessed(Action.DELETE, RecordType.MAPPING, id, Mapping.count("id", id) > 0 ? Outcome.DENIED : Outcome.NOT_FOUND);
            return ApiException.notFound("Mapping");
        });
        m.delete();
        m.flush();
        audit.inTransaction(Action.DELETE, RecordType.MAPPING, id);
    }
}
