package org.acme.healthcare.patient;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.LockModeType;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import org.acme.healthcare.common.Like;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.VersionedEntity;
import org.hibernate.envers.AuditOverride;
import org.hibernate.envers.Audited;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;


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
    /** Who created the record: its owner while it is personal, its creator once in an organization. */
    @Column(name = "owner_id", nullable = false, updatable = false)
    public Long ownerId;

    /** The organization the record belongs to; null for a personal record. Set once, never cleared. */
    @Column(name = "organization_id")
    public Long organizationId;

    /** Readable only by its creator, its organization's admins and break-glass grant holders. */
    @Column(nullable = false)
    public boolean restricted;

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

    /** As {@link #findOwned}, with the row locked against other writers until the transaction ends (PostgreSQL {@code FOR NO KEY UPDATE}). */
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
    public static List<Patient> list(Long ownerId, String q, Sort sort, PageParams page) {
        return search(ownerId, q, sort).page(page.toPage()).list();
    }

    public static long count(Long ownerId, String q) {
        return search(ownerId, q, Sort.by("id")).count();
    }

    /** The owner's patients (everyone's when {@code ownerId} is null) whose name contains {@code q}, if given. */
    static PanacheQuery<Patient> search(Long ownerId, String q, Sort sort) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (ownerId != null) {
            where.add("ownerId = :owner");
            params.and("owner", ownerId);
        }
        if (q != null && !q.isBlank()) {
            where.add("lower(name) like :q escape '!'");
            params.and("q", Like.contains(q));
        }
        return find(String.join(" and ", where), sort, params);
    }

    /** Never prints clinical or identifying fields. */
    @Override
    public String toString() {
        return "Patient[id=" + id + ", ownerId=" + ownerId + ", version=" + version + "]";
    }
}
