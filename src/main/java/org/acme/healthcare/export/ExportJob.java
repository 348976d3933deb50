package org.acme.healthcare.export;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * An export job (V18): the request as accepted, who made it, where its worker has got to, and
 * the lease of the worker running it. Its NDJSON is in {@code export_chunks} ({@link ExportFiles}).
 * {@code toString} names the job only: its request can name patients.
 */
@Entity
@Table(name = "export_jobs")
@DynamicUpdate
public class ExportJob extends PanacheEntityBase {
    public enum Status {
        PENDING, RUNNING, COMPLETE, CANCELLED, FAILED;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Phases of the walk: the patients (Patient, Condition), then the practitioners. */
    static final int PHASE_PATIENTS = 0;
    static final int PHASE_PRACTITIONERS = 1;
    static final int PHASE_DONE = 2;

    @Id
    public Long id;

    @Column(name = "user_id")
    public Long userId;

    @Column(name = "client_id", length = 100)
    public String clientId;

    /** The caller as the access rule knows it: a user's id, or a system client's negative row id. */
    @Column(name = "caller_id", nullable = false)
    public long callerId;

    @Column(nullable = false, length = 10)
    public String level;

    @Column(name = "organization_id")
    public Long organizationId;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false)
    public List<String> types;

    public Instant since;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<Long> patients;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> elements;

    @Column(name = "request_url", nullable = false, length = 4096)
    public String requestUrl;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> ignored;

    @Column(nullable = false, length = 10)
    public String status;

    @Column(name = "transaction_time", nullable = false)
    public Instant transactionTime;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public int phase;

    @Column(name = "cursor_id", nullable = false)
    public long cursorId;

    @Column(nullable = false)
    public long resources;

    @Column(name = "lease_owner", length = 100)
    public String leaseOwner;

    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    /** The caller's job while it has not expired or been cancelled; any other (or none) is empty: a 404. */
    static Optional<ExportJob> findVisible(long id, ExportCaller caller) {
        return ExportJob.<ExportJob> find("id = ?1 and status <> 'cancelled' and expiresAt > ?2", id, Instant.now())
                .firstResultOptional().filter(caller::owns);
    }

    boolean complete() {
        return Status.COMPLETE.code().equals(status);
    }

    @Override
    public String toString() {
        return "ExportJob[" + id + ", " + status + "]";
    }
}
