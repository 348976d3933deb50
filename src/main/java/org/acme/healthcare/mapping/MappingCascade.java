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

    @Transactional(TxType.MANDATORY)
    public List<Long> removeAllOfPatient(long patientId) {
        return remove("select 1 from patients where id = ?1 for update", "delete from mappings where patient_id = ?1 returning id",
                patientId);
    }

    @Transactional(TxType.MANDATORY)
    public List<Long> removeAllOfDoctor(long doctorId) {
        return remove("select 1 from doctors where id = ?1 for update", "delete from mappings where doctor_id = ?1 returning id",
                doctorId);
    }

    private List<Long> remove(String lock, String sql, long ownerRowId) {
        em.flush();
        em.createNativeQuery(lock).setParameter(1, ownerRowId).getResultList();
        @SuppressWarnings("unchecked")
        List<Long> removed = em.createNativeQuery(sql, Long.class).setParameter(1, ownerRowId).getResultList();
        audit.inTransaction(Action.DELETE, RecordType.MAPPING, removed);
        return removed;
    }
}
