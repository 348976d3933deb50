package org.acme.healthcare.patient;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.acme.healthcare.audit.Audit.Action;
import org.acme.healthcare.audit.Audit.Outcome;
import org.acme.healthcare.audit.Audit.RecordType;
import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.mapping.MappingCascade;
import org.hibernate.envers.AuditReader;
import org.hibernate.envers.AuditReaderFactory;
import org.hibernate.envers.RevisionType;
import org.hibernate.envers.query.AuditEntity;
import org.hibernate.envers.query.AuditQuery;

/**
 * The history of patient records, kept by Envers: reads (owner or admin; audited as reads of
 * the record, like GET) and the erasure (admin; audited as a {@code purge}, without content).
 * Who may read a history is decided by the owner the history names, so it outlives a delete.
 */
@ApplicationScoped
public class PatientHistory {
    private final AuditLog audit;
    private final EntityManager em;
    private final MappingCascade mappings;

    PatientHistory(AuditLog audit, EntityManager em, MappingCascade mappings) {
        this.audit = audit;
        this.em = em;
        this.mappings = mappings;
    }

    public record Page(List<PatientRevisionResponse> items, long total) {
    }

    /** One page of the record's revisions, newest first. */
    @Transactional
    public Page list(long patientId, long callerId, boolean admin, PageParams page) {
        PatientAccess.Space space = readable(patientId, callerId, admin);
        long total = (Long) revisions(patientId).addProjection(AuditEntity.revisionNumber().count()).getSingleResult();
        List<PatientRevisionResponse> items = revisions(patientId, false)
                .addOrder(AuditEntity.revisionNumber().desc())
                .setFirstResult(page.offset()).setMaxResults(page.size)
                .getResultList().stream().map(PatientHistory::response).toList();
        audited(patientId, space);
        return new Page(items, total);
    }

    /** The revision whose {@code version} is the one asked for; a delete is the version after the one it deleted. */
    @Transactional
    public PatientRevisionResponse version(long patientId, long version, long callerId, boolean admin) {
        PatientAccess.Space space = readable(patientId, callerId, admin);
        List<PatientRevisionResponse> candidates = revisions(patientId, false)
                .add(AuditEntity.property("version").in(List.of(version, version - 1)))
                .addOrder(AuditEntity.revisionNumber().desc())
                .getResultList().stream().map(PatientHistory::response).toList();
        PatientRevisionResponse found = candidates.stream().filter(r -> r.version() == version).findFirst()
                .orElseThrow(() -> ApiException.notFound("Version"));
        audited(patientId, space);
        return found;
    }

    /**
     * Erasure: the record if it still exists (with its mappings, each audited as a delete) and
     * every revision of it. Done in SQL, not through the entity, so that Envers does not write a
     * new {@code delete} revision of what is being erased. Audit events are kept: they hold ids, no content.
     */
    @Transactional
    public void erase(long patientId) {
        Optional<Patient> record = Patient.find("id", patientId).withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
        boolean exists = record.isPresent();
        if (!exists && owner(patientId).isEmpty()) {
            audit.accessed(Action.PURGE, RecordType.PATIENT, patientId, Outcome.NOT_FOUND);
            throw ApiException.notFound("Patient");
        }
        // The space the record lives in (or lived in, by its newest revision): the purge is that organization's event.
        Long organization = exists ? record.get().organizationId : lastOrganization(patientId);
        if (exists) {
            mappings.removeAllOfPatient(patientId, organization);
            em.createNativeQuery("delete from patients where id = ?1").setParameter(1, patientId).executeUpdate();
        }
        // The record's revisions and its conditions' (V15), then the revision rows nothing else uses.
        @SuppressWarnings("unchecked")
        List<Long> revisions = new java.util.ArrayList<>(em.createNativeQuery(
                "delete from patients_history where id = ?1 returning rev", Long.class).setParameter(1, patientId).getResultList());
        @SuppressWarnings("unchecked")
        List<Long> conditionRevisions = em.createNativeQuery(
                "delete from conditions_history where patient_id = ?1 returning rev", Long.class).setParameter(1, patientId).getResultList();
        revisions.addAll(conditionRevisions);
        if (!revisions.isEmpty()) {
            em.createNativeQuery("delete from history_revisions r where r.id in (?1)"
                    + " and not exists (select 1 from patients_history h where h.rev = r.id)"
                    + " and not exists (select 1 from conditions_history h where h.rev = r.id)")
                    .setParameter(1, revisions).executeUpdate();
        }
        audit.changed(Action.PURGE, RecordType.PATIENT, patientId, organization, null);
    }

    private Long lastOrganization(long patientId) {
        @SuppressWarnings("unchecked")
        List<Long> rows = em.createNativeQuery("select organization_id from patients_history where id = ?1 order by rev desc limit 1",
                Long.class).setParameter(1, patientId).getResultList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * The space the history's newest revision lives in, when the caller may read it (the rule of
     * the record itself, {@link PatientAccess}); else the refusal the caller sees (404, or 403
     * break-glass-required), audited.
     */
    private PatientAccess.Space readable(long patientId, long callerId, boolean admin) {
        PatientAccess.Space space = PatientAccess.history(patientId, callerId, admin).orElse(null);
        if (space == null) {
            audit.accessed(Action.READ, RecordType.PATIENT, patientId, Outcome.NOT_FOUND);
            throw ApiException.notFound("Patient");
        }
        if (space.level() == PatientAccess.Level.NONE) {
            audit.accessed(Action.READ, RecordType.PATIENT, patientId, Outcome.DENIED);
            throw ApiException.notFound("Patient");
        }
        if (!space.level().readable()) {
            audit.accessed(Action.READ, RecordType.PATIENT, patientId, Outcome.DENIED, space.organizationId(), null);
            throw PatientService.breakGlassRequired();
        }
        return space;
    }

    private void audited(long patientId, PatientAccess.Space space) {
        audit.accessed(Action.READ, RecordType.PATIENT, patientId, Outcome.SUCCESS, space.organizationId(),
                space.level() == PatientAccess.Level.BREAK_GLASS ? Map.of("breakGlass", true, "reason", space.grantReason()) : null);
    }

    /** The owner the record's history names (owner_id never changes); empty when there is no history. */
    private Optional<Long> owner(long patientId) {
        List<?> owners = revisions(patientId).addProjection(AuditEntity.property("ownerId"))
                .setMaxResults(1).getResultList();
        return owners.stream().map(o -> (Long) o).findFirst();
    }

    private AuditQuery revisions(long patientId) {
        return revisions(patientId, true);
    }

    private AuditQuery revisions(long patientId, boolean entitiesOnly) {
        return reader().createQuery().forRevisionsOfEntity(Patient.class, entitiesOnly, true)
                .add(AuditEntity.id().eq(patientId));
    }

    private AuditReader reader() {
        return AuditReaderFactory.get(em);
    }

    private static PatientRevisionResponse response(Object row) {
        Object[] r = (Object[]) row;
        return PatientRevisionResponse.from((Patient) r[0], (HistoryRevision) r[1], (RevisionType) r[2]);
    }
}
