package org.acme.healthcare.patient;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.LockModeType;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import org.acme.healthcare.common.ListQuery;
import org.acme.healthcare.common.ListSort;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.VersionedEntity;
import org.hibernate.envers.AuditOverride;
import org.hibernate.envers.Audited;


/**
 * A patient record, owned by the user who created it. Every version is kept by Envers
 * (patients_history, with the inherited id, timestamps and version: see PatientHistory).
 */
@Entity
@Audited
@AuditOverride(forClass = VersionedEntity.class)
@Table(name = "patients")
@NamedQuery(name = "Patient.owned", query = "from Patient where id = ?1 and ownerId = ?2")
public class Patient extends VersionedEntity {
    @Column(name = "owner_id", nullable = false, updatable = false)
    public Long ownerId;

    @Column(nullable = false, length = 200)
    public String name;

    public Integer age;

    @Column(length = 10)
    public Gender gender;

    @Column(length = 500)
    public String address;

    @Column(length = 50)
    public String phone;

    @Column(length = 254)
    public String email;

    @Column(length = 2000)
    public String disease;

    /** The patient if it exists and belongs to the owner; another user's patient is simply absent. */
    public static Optional<Patient> findOwned(long id, long ownerId) {
        // A named query: parsed once at boot, no query string built per call on this hot path.
        return find("#Patient.owned", id, ownerId).firstResultOptional();
    }

    /** As {@link #findOwned}, with the row locked ({@code FOR UPDATE}) until the transaction ends. */
    public static Optional<Patient> findOwnedForUpdate(long id, long ownerId) {
        return find("#Patient.owned", id, ownerId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public static boolean exists(long id) {
        return count("id", id) > 0;
    }

    /** The patient when the caller may read it: the owner, or any admin. */
    public static Optional<Patient> findReadable(long id, long callerId, boolean admin) {
        return admin ? findByIdOptional(id) : findOwned(id, callerId);
    }

    /** One page of a list: {@code ownerId} null means every user's patients (admin scope=all). */
    public static List<Patient> list(Long ownerId, String q, ListSort sort, PageParams page) {
        return query(ownerId, q).page(Patient.class, sort.orderBy, page);
    }

    public static long count(Long ownerId, String q) {
        return query(ownerId, q).count(Patient.class);
    }

    private static ListQuery query(Long ownerId, String q) {
        return new ListQuery()
                .whereIf(ownerId != null, "ownerId = :owner", "owner", ownerId)
                .contains(q, "name");
    }

    /** Never prints clinical or identifying fields. */
    @Override
    public String toString() {
        return "Patient[id=" + id + ", ownerId=" + ownerId + ", version=" + version + "]";
    }
}
