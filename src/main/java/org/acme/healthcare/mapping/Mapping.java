package org.acme.healthcare.mapping;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.doctor.Doctor;
import org.acme.healthcare.patient.Patient;
import org.acme.healthcare.patient.PatientAccess;
import org.hibernate.annotations.CreationTimestamp;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;

/** A doctor assigned to a patient. It belongs to whoever owns the patient. */
@Entity
@Table(name = "mappings")
public class Mapping extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "patient_id", nullable = false, updatable = false)
    public Patient patient;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "doctor_id", nullable = false, updatable = false)
    public Doctor doctor;

    /** Its patient's organization (null: personal), kept equal to it so the table names its space. */
    @Column(name = "organization_id")
    public Long organizationId;

    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    public static boolean exists(long patientId, long doctorId) {
        return count("patient.id = ?1 and doctor.id = ?2", patientId, doctorId) > 0;
    }

    /** A patient's assignments with their doctors, oldest first. */
    public static List<Mapping> ofPatient(long patientId, PageParams page) {
        return find("from Mapping m join fetch m.doctor where m.patient.id = ?1 order by m.createdAt, m.id", patientId)
                .page(Page.of(page.page, page.size)).list();
    }

    public static long countOfPatient(long patientId) {
        return count("patient.id", patientId);
    }

    /**
     * One page of the mappings of the patients the caller may read in the scope
     * ({@link PatientAccess}), oldest first, with their patients and doctors.
     */
    public static List<Mapping> list(PatientAccess.Scope scope, long caller, PageParams page) {
        var ids = getEntityManager().createNativeQuery("select mp.id from mappings mp where mp.patient_id in ("
                + PatientAccess.ids(scope) + ") order by mp.created_at, mp.id limit :pageSize offset :pageOffset");
        PatientAccess.bind(ids, scope, caller);
        // No result class on the native queries (ids read as Numbers): with one, every call put a new
        // plan into Hibernate's shared cache (QueryPlanCacheTest).
        @SuppressWarnings("unchecked")
        List<Long> page1 = ((List<Number>) ids.setParameter("pageSize", page.size).setParameter("pageOffset", page.offset())
                .getResultList()).stream().map(Number::longValue).toList();
        if (page1.isEmpty()) {
            return List.of();
        }
        return find("from Mapping m join fetch m.patient join fetch m.doctor where m.id in ?1 order by m.createdAt, m.id", page1)
                .list();
    }

    public static long count(PatientAccess.Scope scope, long caller) {
        var q = getEntityManager().createNativeQuery("select count(*) from mappings mp where mp.patient_id in ("
                + PatientAccess.ids(scope) + ")");
        PatientAccess.bind(q, scope, caller);
        return ((Number) q.getSingleResult()).longValue();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Mapping other && id != null && Objects.equals(id, other.id));
    }

    @Override
    public int hashCode() {
        return Mapping.class.hashCode();
    }

    @Override
    public String toString() {
        return "Mapping[id=" + id + "]";
    }
}
