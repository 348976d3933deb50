package org.acme.healthcare.mapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.acme.healthcare.audit.Audit.Action;
import org.acme.healthcare.audit.Audit.RecordType;
import org.acme.healthcare.audit.AuditLog;

/**
 * The mappings a deleted patient or doctor takes with it, removed here rather than silently by
 * the foreign keys' cascade, so that each one is audited as a {@code delete} of that mapping by
 * whoever deleted the patient or doctor, in the same transaction. The patient or doctor row is
 * locked {@code FOR UPDATE} first: a mapping being created at the same time waits for it (its
 * foreign key check takes {@code FOR KEY SHARE} on that row) and then fails, and one created just
 * before is committed before the delete reads the mappings, so none is removed unaudited by the
 * foreign key's cascade. (JPA's {@code PESSIMISTIC_WRITE} is PostgreSQL's {@code FOR NO KEY
 * UPDATE}, which a foreign key check does not wait for: hence the explicit lock.)
 */
@ApplicationScoped
public class MappingCascade {
    private final AuditLog audit;
    private final EntityManager em;

    MappingCascade(AuditLog audit, EntityManager em) {
        this.audit = audit;
        this.em = em;
    }

    /** Removes the patient's mappings, each audited as a delete in the patient's organization (null: personal). */
    @Transactional(TxType.MANDATORY)
    public List<Long> removeAllOfPatient(long patientId, Long organizationId) {
        em.flush();
        em.createNativeQuery("select 1 from patients where id = ?1 for update").setParameter(1, patientId).getResultList();
        @SuppressWarnings("unchecked")
        List<Long> removed = em.createNativeQuery("delete from mappings where patient_id = ?1 returning id", Long.class)
                .setParameter(1, patientId).getResultList();
        audit.inTransaction(Action.DELETE, RecordType.MAPPING, removed, organizationId);
        return removed;
    }

    /** Removes the doctor's mappings, each audited as a delete in its patient's organization (null: personal). */
    @Transactional(TxType.MANDATORY)
    public List<Long> removeAllOfDoctor(long doctorId) {
        em.flush();
        em.createNativeQuery("select 1 from doctors where id = ?1 for update").setParameter(1, doctorId).getResultList();
        @SuppressWarnings("unchecked")
        List<Object[]> removed = em.createNativeQuery("delete from mappings where doctor_id = ?1 returning id, organization_id",
                Object[].class).setParameter(1, doctorId).getResultList();
        Map<Long, List<Long>> bySpace = new HashMap<>();
        for (Object[] row : removed) {
            bySpace.computeIfAbsent((Long) row[1], k -> new ArrayList<>()).add((Long) row[0]);
        }
        bySpace.forEach((organization, ids) -> audit.inTransaction(Action.DELETE, RecordType.MAPPING, ids, organization));
        return removed.stream().map(r -> (Long) r[0]).toList();
    }

    /** A patient moved into an organization takes its mappings with it (the patient's row is locked by the caller). */
    @Transactional(TxType.MANDATORY)
    public void moveToOrganization(long patientId, long organizationId) {
        em.createNativeQuery("update mappings set organization_id = ?1 where patient_id = ?2")
                .setParameter(1, organizationId).setParameter(2, patientId).executeUpdate();
    }
}
