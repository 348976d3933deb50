package org.acme.healthcare.doctor;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Etags;
import org.acme.healthcare.mapping.MappingCascade;

import io.quarkus.arc.Unremovable;

@ApplicationScoped
public class DoctorService {
    /** A doctor's creator is the caller: an account deleted while its request ran is that token's 401. */
    @Produces
    @Unremovable
    static final ApiException.Constraints CONSTRAINTS = new ApiException.Constraints(Map.of(
            "doctors_created_by_fk", ApiException.unauthorized("The account behind this token no longer exists.")));

    private final MappingCascade mappings;
    private final DoctorDirectory directory;

    DoctorService(MappingCascade mappings, DoctorDirectory directory) {
        this.mappings = mappings;
        this.directory = directory;
    }

    @Transactional
    public Doctor create(long userId, DoctorRequest request) {
        Doctor d = new Doctor();
        d.createdBy = userId;
        apply(request, d);
        d.persistAndFlush();
        return d;
    }

    @Transactional
    public Doctor update(long id, long userId, boolean admin, String ifMatch, DoctorRequest request) {
        Doctor d = changeable(id, userId, admin, ifMatch);
        apply(request, d);
        d.flush();
        directory.forgetAfterCompletion();
        return d;
    }

    /** The fields the body gave (a value, or null to clear); on a new record an absent field stays null. */
    private static void apply(DoctorRequest request, Doctor d) {
        request.name().ifGiven(v -> d.name = v.strip());
        request.specialization().ifGiven(v -> d.specialization = v);
        request.email().ifGiven(v -> d.email = v);
        request.phone().ifGiven(v -> d.phone = v);
        request.contactInfo().ifGiven(v -> d.contactInfo = v);
        request.age().ifGiven(v -> d.age = v);
    }

    /** Deletes the doctor and its mappings, each audited as a delete of that mapping by the caller. */
    @Transactional
    public void delete(long id, long userId, boolean admin, String ifMatch) {
        Doctor d = changeable(id, userId, admin, ifMatch, LockModeType.PESSIMISTIC_WRITE);
        mappings.removeAllOfDoctor(id);
        d.delete();
        d.flush();
        directory.forgetAfterCompletion();
    }

    private static Doctor changeable(long id, long userId, boolean admin, String ifMatch) {
        return changeable(id, userId, admin, ifMatch, LockModeType.NONE);
    }

    private static Doctor changeable(long id, long userId, boolean admin, String ifMatch, LockModeType lock) {
        Doctor d = Doctor.<Doctor> findByIdOptional(id, lock).orElseThrow(() -> ApiException.notFound("Doctor"));
        if (!d.mayBeChangedBy(userId, admin)) {
            throw ApiException.forbidden("Only the doctor's creator or an admin may change it.");
        }
        Etags.checkIfMatch(ifMatch, d.version);
        return d;
    }
}
