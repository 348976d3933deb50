package org.acme.healthcare.mapping;

import java.util.List;

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
 * whoever deleted the patient or doctor, in the same transaction. The caller holds a
 * {@code FOR UPDATE} lock on the patient or doctor row: a mapping being created at the same
 * time waits for it (its foreign key check locks that row too) and then fails, so none can
 * slip in between and be removed unaudited by the cascade.
 */
@ApplicationScoped
public class MappingCascade {
    private final AuditLog audit;
    private final EntityManager em;

    MappingCascade(AuditLog audit, EntityManager em) {
        this.audit = audit;
        this.em = em;
    }

    @Transactional(TxType.MANDATORY)
    public List<Long> removeAllOfPatient(long patientId) {
        return remove("delete from mappings where patient_id = ?1 returning id", patientId);
    }

    @Transactional(TxType.MANDATORY)
    public List<Long> removeAllOfDoctor(long doctorId) {
        return remove("delete from mappings where doctor_id = ?1 returning id", doctorId);
    }

    private List<Long> remove(String sql, long ownerRowId) {
        em.flush();
        @SuppressWarnings("unchecked")
        List<Long> removed = em.createNativeQuery(sql, Long.class).setParameter(1, ownerRowId).getResultList();
        audit.inTransaction(Action.DELETE, RecordType.MAPPING, removed);
        return removed;
    }
}
