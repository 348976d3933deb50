package org.acme.healthcare.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.condition.Condition;
import org.acme.healthcare.condition.ConditionResponse;
import org.acme.healthcare.doctor.Doctor;
import org.acme.healthcare.fhir.Fhir;
import org.acme.healthcare.fhir.FhirMapper;
import org.acme.healthcare.patient.Patient;
import org.acme.healthcare.patient.PatientAccess;
import org.acme.healthcare.patient.PatientResponse;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.jboss.logging.Logger;

import ca.uhn.fhir.parser.IParser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;

/**
 * Runs export jobs, on every replica. A worker claims a runnable job ({@code FOR UPDATE SKIP
 * LOCKED}: pending, or running under a lease that has expired) and runs it a page at a time. Each
 * page is one transaction that locks the job's row, checks that the job is still running under
 * this worker's lease (a cancel, or another worker's take-over, ends the run), reads the next page
 * of what the requester may read (keyset: {@code id > cursor}, through {@link PatientAccess}, the
 * one access rule), maps it with the FHIR view's mapper into NDJSON chunks, and moves the cursor
 * and renews the lease with them. A worker that dies loses only its uncommitted page; when its
 * lease expires another worker resumes from the cursor, so nothing is written twice. The last page
 * completes the job and writes its audit event in the same transaction.
 */
@ApplicationScoped
public class ExportWorker {
    private static final Logger LOG = Logger.getLogger(ExportWorker.class);
    /** A job whose pages failed this often (each claim counts) is marked failed rather than tried again. */
    static final int MAX_ATTEMPTS = 5;
    /** The worker's name in leases: this replica, unique per start. */
    final String replica = "replica-" + java.util.UUID.randomUUID();

    private final ExportConfig config;
    private final Fhir fhir;
    private final AuditLog audit;
    private volatile boolean stopping;

    ExportWorker(ExportConfig config, Fhir fhir, AuditLog audit) {
        this.config = config;
        this.fhir = fhir;
        this.audit = audit;
    }

    /** What a page did. */
    enum Step {
        /** More to do. */
        MORE,
        /** Every page is written: the completion is next, in a transaction of its own. */
        COMPLETING,
        /** The job is complete. */
        DONE,
        /** The job is no longer this worker's: cancelled, expired, or taken over. */
        LOST
    }

    @Scheduled(every = "${healthcare.export.poll-interval:1s}", delayed = "1s", concurrentExecution = ConcurrentExecution.SKIP)
    @ActivateRequestContext
    void poll() {
        try {
            cleanUp();
            if (!config.worker() || !fhir.isReady()) {
                // No job is claimed before HAPI's model is loaded (start-up): a claim would spend one of
                // the job's attempts waiting for it.
                return;
            }
            Long job;
            while (!stopping && (job = claim(replica)) != null) {
                run(job, replica);
            }
        } catch (RuntimeException e) {
            // The database is away or the page failed: the lease expires and a worker tries again.
            LOG.warnf("Export worker: %s", e.getClass().getSimpleName());
        }
    }

    /** A clean shutdown hands its job back at once instead of after the lease. */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Claims the oldest runnable job for {@code owner}; null when there is none. */
    Long claim(String owner) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var em = ExportJob.getEntityManager();
            // Locked, or skipped when another worker is claiming it (or a page of it is in flight).
            // No result class on native queries: with one, Hibernate adds a query plan on every call (QueryPlanCacheTest).
            @SuppressWarnings("unchecked")
            List<Number> ids = em.createNativeQuery("select id from export_jobs where status in ('pending', 'running')"
                    + " and (lease_expires_at is null or lease_expires_at < now()) and expires_at > now() and attempts < :max"
                    + " order by created_at limit 1 for update skip locked")
                    .setParameter("max", MAX_ATTEMPTS).getResultList();
            if (ids.isEmpty()) {
                return null;
            }
            em.createNativeQuery("update export_jobs set status = 'running', lease_owner = :owner,"
                    + " lease_expires_at = now() + make_interval(secs => :lease), attempts = attempts + 1 where id = :id")
                    .setParameter("owner", owner).setParameter("lease", seconds(config.lease()))
                    .setParameter("id", ids.get(0).longValue()).executeUpdate();
            return ids.get(0).longValue();
        });
    }

    /** Runs the job's pages while it is this worker's. */
    void run(long job, String owner) {
        Step step = Step.MORE;
        while (step == Step.MORE) {
            if (stopping) {
                release(job, owner);
                return;
            }
            step = page(job, owner);
            if (step == Step.COMPLETING) {
                step = completion(job, owner);
            }
        }
    }

    /**
     * How long the completion may take. It gathers every patient the export held into its audit
     * event (one INSERT … SELECT over the chunks, and its GIN index) and reads them back for the
     * MAC: seconds at 1,000,000 patients, more than the 10 s that bounds a page's statements and
     * transaction. Still bounded; the job's row lock keeps other workers off meanwhile.
     */
    static final int COMPLETION_SECONDS = 600;

    /** One page of the job, in one transaction, under the job's row lock. */
    @ActivateRequestContext
    Step page(long id, String owner) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ExportJob job = ExportJob.<ExportJob> findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE).orElse(null);
            if (job == null || !ExportJob.Status.RUNNING.code().equals(job.status) || !owner.equals(job.leaseOwner)
                    || !job.expiresAt.isAfter(java.time.Instant.now())) {
                return Step.LOST;
            }
            switch (job.phase) {
                case ExportJob.PHASE_PATIENTS -> patientsPage(job);
                case ExportJob.PHASE_PRACTITIONERS -> practitionersPage(job);
                default -> {
                    return Step.COMPLETING;
                }
            }
            return Step.MORE;
        });
    }

    /** The job's completion ({@link #complete}), in one transaction with its own, longer bounds. */
    @ActivateRequestContext
    Step completion(long id, String owner) {
        return QuarkusTransaction.requiringNew().timeout(COMPLETION_SECONDS).call(() -> {
            ExportJob job = ExportJob.<ExportJob> findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE).orElse(null);
            if (job == null || !ExportJob.Status.RUNNING.code().equals(job.status) || !owner.equals(job.leaseOwner)
                    || !job.expiresAt.isAfter(java.time.Instant.now()) || job.phase != ExportJob.PHASE_DONE) {
                return Step.LOST;
            }
            ExportJob.getEntityManager().createNativeQuery("set local statement_timeout = '" + COMPLETION_SECONDS + "s'")
                    .executeUpdate();
            complete(job);
            return Step.DONE;
        });
    }

    private void patientsPage(ExportJob job) {
        boolean patients = job.types.contains("Patient");
        boolean conditions = job.types.contains("Condition");
        if (!patients && !conditions) {
            advance(job, nextPhase(job, ExportJob.PHASE_PATIENTS), 0, 0);
            return;
        }
        PatientAccess.Filter filter = new PatientAccess.Filter("p.id > :exportAfter", Map.of("exportAfter", job.cursorId));
        if (job.patients != null) {
            filter = filter.and(new PatientAccess.Filter("p.id in (:exportPatients)", Map.of("exportPatients", job.patients)));
        }
        if (job.since != null && !conditions) {
            filter = filter.and(new PatientAccess.Filter("p.updated_at > :exportSince", Map.of("exportSince", job.since)));
        }
        // A user's Group is that organization's records it may read; a system client's is its own
        // organization, which is everything it may read (checked at kick-off, re-read by the rule on every page).
        PatientAccess.Scope scope = ExportRequest.GROUP.equals(job.level) && job.callerId > 0
                ? new PatientAccess.Scope.Organization(job.organizationId) : PatientAccess.readableBy(job.callerId);
        List<Patient> page = PatientAccess.list(scope, job.callerId, filter, "p.id", 0, config.pageSize());
        if (page.isEmpty()) {
            advance(job, nextPhase(job, ExportJob.PHASE_PATIENTS), 0, 0);
            return;
        }
        IParser parser = fhir.parser();
        ExportElements elements = ExportElements.of(job.elements);
        long written = 0;
        if (patients) {
            Lines lines = new Lines();
            for (Patient p : page) {
                if (job.since == null || p.updatedAt.isAfter(job.since)) {
                    lines.add(parser, elements, FhirMapper.patient(PatientResponse.from(p)), p.id);
                }
            }
            written += chunk(job, "Patient", lines);
        }
        if (conditions) {
            Lines lines = new Lines();
            List<Long> ids = new ArrayList<>(page.size());
            for (Patient p : page) {
                ids.add(p.id);
                PatientResponse r = PatientResponse.from(p);
                if (FhirMapper.hasDisease(r) && (job.since == null || p.updatedAt.isAfter(job.since))) {
                    lines.add(parser, elements, FhirMapper.disease(r), p.id);
                }
            }
            List<Condition> coded = job.since == null
                    ? Condition.list("patientId in ?1", Sort.by("patientId").and("id"), ids)
                    : Condition.list("patientId in ?1 and updatedAt > ?2", Sort.by("patientId").and("id"), ids, job.since);
            for (Condition c : coded) {
                lines.add(parser, elements, FhirMapper.condition(ConditionResponse.from(c)), c.patientId);
            }
            written += chunk(job, "Condition", lines);
        }
        advance(job, job.phase, page.get(page.size() - 1).id, written);
        ExportJob.getEntityManager().clear();
    }

    private void practitionersPage(ExportJob job) {
        List<Doctor> page = job.since == null
                ? Doctor.find("id > ?1", Sort.by("id"), job.cursorId).page(0, config.pageSize()).list()
                : Doctor.find("id > ?1 and updatedAt > ?2", Sort.by("id"), job.cursorId, job.since).page(0, config.pageSize()).list();
        if (page.isEmpty()) {
            advance(job, ExportJob.PHASE_DONE, 0, 0);
            return;
        }
        IParser parser = fhir.parser();
        ExportElements elements = ExportElements.of(job.elements);
        Lines lines = new Lines();
        for (Doctor d : page) {
            lines.add(parser, elements, FhirMapper.practitioner(d), null);
        }
        long written = chunk(job, "Practitioner", lines);
        advance(job, job.phase, page.get(page.size() - 1).id, written);
        ExportJob.getEntityManager().clear();
    }

    /** After the patients: the directory at system level, else done. */
    private static int nextPhase(ExportJob job, int phase) {
        if (phase == ExportJob.PHASE_PATIENTS && ExportRequest.SYSTEM.equals(job.level) && job.types.contains("Practitioner")) {
            return ExportJob.PHASE_PRACTITIONERS;
        }
        return ExportJob.PHASE_DONE;
    }

    /** Moves the cursor (or to the next phase) and renews the lease, in the page's transaction. */
    private void advance(ExportJob job, int phase, long cursor, long written) {
        ExportJob.getEntityManager().createNativeQuery("update export_jobs set phase = :phase, cursor_id = :cursor,"
                + " resources = resources + :written, lease_expires_at = now() + make_interval(secs => :lease) where id = :id")
                .setParameter("phase", phase).setParameter("cursor", cursor).setParameter("written", written)
                .setParameter("lease", seconds(config.lease())).setParameter("id", job.id).executeUpdate();
    }

    /**
     * The last page: the OperationOutcomes of what was ignored under handling=lenient, the audit
     * event (the patients whose data the export held, and who took it), and the job complete
     * with its files kept for the retention.
     */
    private void complete(ExportJob job) {
        var em = ExportJob.getEntityManager();
        if (job.ignored != null && !job.ignored.isEmpty()) {
            IParser parser = fhir.parser();
            Lines lines = new Lines();
            for (String message : job.ignored) {
                OperationOutcome outcome = new OperationOutcome();
                outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.WARNING)
                        .setCode(OperationOutcome.IssueType.NOTSUPPORTED).setDiagnostics(message);
                lines.add(parser, ExportElements.ALL, outcome, null);
            }
            chunk(job, "OperationOutcome", lines);
        }
        Map<String, Object> detail = new HashMap<>();
        detail.put("export", String.valueOf(job.id));
        detail.put("level", job.level);
        detail.put("types", job.types);
        if (job.clientId != null) {
            // A system client is no user: named in the detail, as its other events (audit/AuditLog, the access report).
            detail.put(AuditLog.CLIENT_DETAIL, -job.callerId);
            detail.put("clientId", job.clientId);
        }
        // The patients are gathered by PostgreSQL from the chunks, never in this heap (1,000,000 of them would not fit).
        audit.exported(job.userId, job.organizationId, detail,
                "select unnest(c.patient_ids) id from export_chunks c where c.job_id = ?", job.id);
        em.createNativeQuery("update export_jobs set status = 'complete', completed_at = now(), lease_owner = null,"
                + " lease_expires_at = null, expires_at = now() + make_interval(secs => :retention) where id = :id")
                .setParameter("retention", seconds(config.retention())).setParameter("id", job.id).executeUpdate();
    }

    /** Hands the job back (a clean shutdown): another worker may claim it at once. */
    private void release(long id, String owner) {
        QuarkusTransaction.requiringNew().run(() -> ExportJob.getEntityManager().createNativeQuery(
                "update export_jobs set lease_expires_at = now() where id = :id and lease_owner = :owner")
                .setParameter("id", id).setParameter("owner", owner).executeUpdate());
    }

    /**
     * Deletes expired jobs with their files (a cancelled job expires at once) and marks failed the
     * jobs that failed too often. Any replica runs it; {@code SKIP LOCKED} keeps two from deleting the
     * same job.
     * Returns the number of jobs deleted.
     */
    int cleanUp() {
        return QuarkusTransaction.requiringNew().call(() -> {
            var em = ExportJob.getEntityManager();
            em.createNativeQuery("update export_jobs set status = 'failed', lease_owner = null where status in ('pending',"
                    + " 'running') and attempts >= :max and (lease_expires_at is null or lease_expires_at < now())")
                    .setParameter("max", MAX_ATTEMPTS).executeUpdate();
            return em.createNativeQuery("delete from export_jobs where id in (select id from export_jobs"
                    + " where expires_at <= now() order by expires_at limit 100 for update skip locked)").executeUpdate();
        });
    }

    /**
     * Inserts the page's lines of one type as a chunk of the type's current file, or of a new file
     * (numbered after every file of the job) when the type has none yet or its file is full.
     */
    private long chunk(ExportJob job, String type, Lines lines) {
        if (lines.count == 0) {
            return 0;
        }
        var em = ExportJob.getEntityManager();
        @SuppressWarnings("unchecked")
        List<Object[]> last = em.createNativeQuery("select part, sum(lines) from export_chunks where job_id = :job and part ="
                + " (select max(part) from export_chunks where job_id = :job and type = :type) group by part")
                .setParameter("job", job.id).setParameter("type", type).getResultList();
        boolean fits = !last.isEmpty() && ((Number) last.get(0)[1]).longValue() + lines.count <= config.fileSize();
        String part = fits ? String.valueOf(((Number) last.get(0)[0]).intValue())
                : "(select coalesce(max(part), -1) + 1 from export_chunks where job_id = :job)";
        em.createNativeQuery("insert into export_chunks (job_id, seq, type, part, lines, data, patient_ids)"
                + " select :job, coalesce(max(seq), -1) + 1, :type, " + part + ", :lines, :data, cast(:patients as bigint[])"
                + " from export_chunks where job_id = :job")
                .setParameter("job", job.id).setParameter("type", type)
                .setParameter("lines", lines.count).setParameter("data", lines.text.toString())
                .setParameter("patients", lines.patientArray()).executeUpdate();
        return lines.count;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    /** A chunk being built: its NDJSON and the patients it holds. */
    private static final class Lines {
        final StringBuilder text = new StringBuilder();
        final Set<Long> patients = new LinkedHashSet<>();
        int count;

        void add(IParser parser, ExportElements elements, Resource resource, Long patientId) {
            text.append(elements.apply(parser.encodeResourceToString(resource))).append('\n');
            count++;
            if (patientId != null) {
                patients.add(patientId);
            }
        }

        String patientArray() {
            return patients.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
        }
    }
}
