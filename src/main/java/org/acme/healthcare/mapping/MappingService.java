package org.acme.healthcare.mapping;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.doctor.Doctor;
import org.acme.healthcare.patient.Patient;

@ApplicationScoped
public class MappingService {

    /** The patient must be the caller's and the doctor must exist; the unique pair constraint backs the 409. */
    @Transactional
    public Mapping create(long ownerId, MappingRequest request) {
        Patient patient = Patient.findOwned(request.patientId(), ownerId)
                .orElseThrow(() -> ApiException.notFound("Patient"));
        Doctor doctor = Doctor.<Doctor> findByIdOptional(request.doctorId())
                .orElseThrow(() -> ApiException.notFound("Doctor"));
        if (Mapping.exists(patient.id, doctor.id)) {
            throw ApiException.conflict("This doctor is already assigned to this patient.");
        }
        Mapping m = new Mapping();
        m.patient = patient;
        m.doctor = doctor;
        m.persistAndFlush();
        return m;
    }

    @Transactional
    public void delete(long id, long ownerId) {
        Mapping m = Mapping.findOwned(id, ownerId).orElseThrow(() -> ApiException.notFound("Mapping"));
        m.delete();
        m.flush();
    }
}
