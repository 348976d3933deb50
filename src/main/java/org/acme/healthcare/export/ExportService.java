package org.acme.healthcare.export;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.patient.PatientAccess;

/**
 * Kick-off, status and cancel. A kick-off records the job and nothing else: it never counts or
 * reads patients (the worker does, a page at a time), so it answers in the same time whatever the
 * size of the export. Jobs are seen by the one who kicked them off only; to anyone else, and once
 * expired or cancelled, they are a 404.
 */
@ApplicationScoped
public class ExportService {
    private final ExportConfig config;

    ExportService(ExportConfig config) {
        this.config = config;
    }

    /** What a status request finds: the job, and its files when it is complete. */
    record Status(ExportJob job, List<ExportFiles.File> files) {
    }

    @Transactional
    public long kickOff(ExportCaller caller, ExportRequest request, Long organizationId, String requestUrl) {
        if (organizationId != null) {
            requireGroup(caller, organizationId);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ExportJob job = new ExportJob();
        job.id = newId();
        job.userId = caller.userId();
        job.clientId = caller.clientId();
        job.callerId = caller.accessId();
        job.level = request.level();
        job.organizationId = organizationId;
        job.types = request.types();
        job.since = request.since();
        job.patients = request.patients();
        job.elements = request.elements();
        job.ignored = request.ignored().isEmpty() ? null : request.ignored();
        job.requestUrl = requestUrl.length() > 4096 ? requestUrl.substring(0, 4096) : requestUrl;
        job.status = ExportJob.Status.PENDING.code();
        job.transactionTime = now;
        job.createdAt = now;
        job.expiresAt = now.plus(config.retention());
        job.persist();
        return job.id;
    }

    /**
     * A Group is an organization: a user must be a member, a system client one of its clients.
     * Anyone else: 404, as if the Group did not exist (before anything else of the request is judged).
     */
    @Transactional
    public void requireGroup(ExportCaller caller, long organizationId) {
        if (caller.system() ? organizationId != caller.clientOrganizationId()
                : PatientAccess.role(organizationId, caller.userId(), false).isEmpty()) {
            throw ApiException.notFound("Group");
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** A job's id: random and positive, so that its status URL says nothing of any other job's. */
    private static long newId() {
        long id;
        do {
            id = RANDOM.nextLong() & Long.MAX_VALUE;
        } while (id == 0);
        return id;
    }

    @Transactional
    public Status status(long id, ExportCaller caller) {
        ExportJob job = ExportJob.findVisible(id, caller).orElseThrow(() -> ApiException.notFound("Export"));
        return new Status(job, job.complete() ? ExportFiles.files(id) : List.of());
    }

    /**
     * Cancels a job (or, once complete, says its files may go): 404 for an unknown, expired,
     * already cancelled or another caller's job. The job's row is locked first, so this waits for a
     * worker's page in flight to end; after that no worker writes to it (each page checks the status
     * under the same lock) and no chunk of it is read again (each chunk's read checks the status: a
     * download in flight is broken off). Its rows go with the next clean-up.
     */
    @Transactional
    public void cancel(long id, ExportCaller caller) {
        ExportJob job = ExportJob.<ExportJob> findByIdOptional(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .filter(j -> !ExportJob.Status.CANCELLED.code().equals(j.status) && j.expiresAt.isAfter(Instant.now()))
                .filter(caller::owns).orElseThrow(() -> ApiException.notFound("Export"));
        job.status = ExportJob.Status.CANCELLED.code();
        job.expiresAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        job.leaseOwner = null;
        job.leaseExpiresAt = null;
    }
}
