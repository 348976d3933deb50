package org.acme.healthcare.patient;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Etags;
import org.acme.healthcare.common.Patches;

/** Changes to patient records; each one transaction, scoped to the owner in the query. */
@ApplicationScoped
public class PatientService {

    @Transactional
    public Patient create(long ownerId, PatientRequest request) {
        Patient p = new Patient();
        p.ownerId = ownerId;
        p.name = Patches.value(request.name()).strip();
        p.age = Patches.value(request.age());
        p.gender = Patches.value(request.gender());
        p.address = Patches.value(request.address());
        p.phone = Patches.value(request.phone());
        p.email = Patches.value(request.email());
        p.disease = Patches.value(request.disease());
        p.persistAndFlush();
        return p;
    }

    /** Sets the fields present in the body; the version check makes a concurrent change a 409, never a lost update. */
    @Transactional
    public Patient update(long id, long ownerId, String ifMatch, PatientRequest request) {
        Patient p = Patient.findOwned(id, ownerId).orElseThrow(() -> ApiException.notFound("Patient"));
        Etags.checkIfMatch(ifMatch, p.version);
        Patches.apply(request.name(), v -> p.name = v.strip());
        Patches.apply(request.age(), v -> p.age = v);
        Patches.apply(request.gender(), v -> p.gender = v);
        Patches.apply(request.address(), v -> p.address = v);
        Patches.apply(request.phone(), v -> p.phone = v);
        Patches.apply(request.email(), v -> p.email = v);
        Patches.apply(request.disease(), v -> p.disease = v);
        p.flush();
        return p;
    }

    /** Deletes the patient; the database cascade removes its mappings in the same statement. */
    @Transactional
    public void delete(long id, long ownerId, String ifMatch) {
        Patient p = Patient.findOwned(id, ownerId).orElseThrow(() -> ApiException.notFound("Patient"));
        Etags.checkIfMatch(ifMatch, p.version);
        p.delete();
        p.flush();
    }
}
