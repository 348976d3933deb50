package org.acme.healthcare.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.acme.healthcare.audit.Audit.Action;
import org.acme.healthcare.audit.Audit.Outcome;
import org.acme.healthcare.audit.Audit.RecordType;
import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Problem;
import org.acme.healthcare.ops.RequestId;
import org.acme.healthcare.user.CurrentUser;
import org.hibernate.Session;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * Writes the audit trail. A change is audited in its own transaction ({@link #inTransaction}):
 * no change without its event, no event for a rolled-back change. Reads and refused attempts
 * ({@link #accessed}) go through an in-memory queue that one writer thread drains in batches, so a
 * read costs a queue offer, not an INSERT. The queue is drained completely on a clean shutdown;
 * a crash (kill -9, power loss) can lose the read events of the last moments (at most one batch
 * interval, about {@value #BATCH_WAIT_MS} ms, plus whatever waited behind a database outage).
 * When the queue is full (the database has been unreachable for a long time), reads fail with
 * 503 rather than go unaudited.
 */
@ApplicationScoped
public class AuditLog {
    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    static final int QUEUE_CAPACITY = 100_000;
    static final int BATCH_SIZE = 500;
    static final long BATCH_WAIT_MS = 50;
    private static final String INSERT = "insert into audit_events (occurred_at, actor_id, action, record_type, record_id,"
            + " outcome, request_id, client_address, record_ids, client_request_id, detail, organization_id)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?)";
    /** One event per record id, in one statement: the mappings a cascade removes, the sessions a password change ends. */
    private static final String INSERT_EACH = "insert into audit_events (occurred_at, actor_id, action, record_type,"
            + " record_id, outcome, request_id, client_address, client_request_id, detail, organization_id)"
            + " select ?, ?, ?, ?, unnest(?), ?, ?, ?, ?, cast(? as jsonb), ?";

    private final BlockingQueue<AuditEvent> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong pending = new AtomicLong();
    private final AgroalDataSource dataSource;
    private final CurrentUser caller;
    private final CurrentVertxRequest request;
    private volatile boolean running;
    private Thread writer;

    private final ObjectMapper json;

    AuditLog(AgroalDataSource dataSource, CurrentUser caller, CurrentVertxRequest request, ObjectMapper json) {
        this.dataSource = dataSource;
        this.caller = caller;
        this.request = request;
        this.json = json;
    }

    /** Records a successful change inside the caller's transaction. */
    @Transactional(TxType.MANDATORY)
    public void inTransaction(Action action, RecordType type, Long recordId) {
        changed(action, type, recordId, null, null);
    }

    /**
     * Records a successful change inside the caller's transaction, naming the organization it
     * went through (null: personal) and a detail (a membership's role, a break-glass reason).
     */
    @Transactional(TxType.MANDATORY)
    public void changed(Action action, RecordType type, Long recordId, Long organizationId, Map<String, Object> detail) {
        AuditEvent e = event(action, type, recordId, Outcome.SUCCESS, null, caller.idOrNull(), detail);
        e.organizationId = organizationId;
        e.persist();
    }

    /**
     * Records a successful change of each of these records inside the caller's transaction
     * (one event each, written in one statement).
     */
    @Transactional(TxType.MANDATORY)
    public void inTransaction(Action action, RecordType type, List<Long> recordIds) {
        inTransaction(action, type, caller.idOrNull(), recordIds, null);
    }

    /** As {@link #inTransaction(Action, RecordType, List)}, naming the organization the records belong to. */
    @Transactional(TxType.MANDATORY)
    public void inTransaction(Action action, RecordType type, List<Long> recordIds, Long organizationId) {
        insertEach(action, type, caller.idOrNull(), recordIds, null, organizationId);
    }

    /**
     * Records a successful security change (a session ended, an account changed) of each of
     * these records inside the caller's transaction, with the actor named (the caller, or null
     * when the service acted on its own, as on a replayed refresh token) and a detail.
     */
    @Transactional(TxType.MANDATORY)
    public void inTransaction(Action action, RecordType type, Long actorId, List<Long> recordIds, Map<String, Object> detail) {
        insertEach(action, type, actorId, recordIds, detail, null);
    }

    private void insertEach(Action action, RecordType type, Long actorId, List<Long> recordIds, Map<String, Object> detail,
            Long organizationId) {
        if (recordIds.isEmpty()) {
            return;
        }
        AuditEvent e = event(action, type, null, Outcome.SUCCESS, null, actorId, detail);
        AuditEvent.getEntityManager().unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT_EACH)) {
                ps.setTimestamp(1, Timestamp.from(e.occurredAt));
                setLong(ps, 2, e.actorId);
                ps.setString(3, e.action);
                ps.setString(4, e.recordType);
                ps.setArray(5, c.createArrayOf("bigint", recordIds.toArray()));
                ps.setString(6, e.outcome);
                ps.setString(7, e.requestId);
                ps.setString(8, e.clientAddress);
                ps.setString(9, e.clientRequestId);
                ps.setString(10, toJson(e.detail));
                setLong(ps, 11, organizationId);
                ps.executeUpdate();
            }
        });
    }

    /**
     * Records an authentication event through the batching writer: the actor is named, since a
     * login has no caller yet, and the detail says what ids cannot (never a password or a token).
     */
    public void security(Action action, RecordType type, Long actorId, Long recordId, Outcome outcome, Map<String, Object> detail) {
        enqueue(event(action, type, recordId, outcome, null, actorId, detail));
    }

    /**
     * Records a successful list or search with the ids of the records it returned: one event
     * for the request, carrying the ids (so "who saw record X" finds it), through the batching writer.
     */
    public void listed(RecordType type, List<Long> returnedIds) {
        listed(type, returnedIds, null);
    }

    /** As {@link #listed(RecordType, List)}, for records of one organization (null: personal ones). */
    public void listed(RecordType type, List<Long> returnedIds, Long organizationId) {
        AuditEvent e = event(Action.LIST, type, null, Outcome.SUCCESS, returnedIds.toArray(Long[]::new));
        e.organizationId = organizationId;
        enqueue(e);
    }

    /** Records an access that changed nothing (a read, or a refused or failed attempt), through the batching writer. */
    public void accessed(Action action, RecordType type, Long recordId, Outcome outcome) {
        enqueue(event(action, type, recordId, outcome));
    }

    /**
     * As {@link #accessed(Action, RecordType, Long, Outcome)}, naming the organization the access
     * went through (null: personal, or a refusal that must not say where the record lives) and a
     * detail (a read under break-glass: {@code breakGlass} and {@code reason}).
     */
    public void accessed(Action action, RecordType type, Long recordId, Outcome outcome, Long organizationId,
            Map<String, Object> detail) {
        AuditEvent e = event(action, type, recordId, outcome, null, caller.idOrNull(), detail);
        e.organizationId = organizationId;
        enqueue(e);
    }

    private void enqueue(AuditEvent event) {
        pending.incrementAndGet();
        boolean queued;
        try {
            queued = queue.offer(event, 2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queued = false;
        }
        if (!queued) {
            pending.decrementAndGet();
            throw new ApiException(Problem.Type.SERVICE_UNAVAILABLE, "The audit trail cannot be written; try again later.");
        }
    }

    /** Waits until every queued event is in the database (tests, shutdown). */
    public boolean flush(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (pending.get() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        return pending.get() == 0;
    }

    private AuditEvent event(Action action, RecordType type, Long recordId, Outcome outcome) {
        return event(action, type, recordId, outcome, null);
    }

    private AuditEvent event(Action action, RecordType type, Long recordId, Outcome outcome, Long[] recordIds) {
        return event(action, type, recordId, outcome, recordIds, caller.idOrNull(), null);
    }

    private AuditEvent event(Action action, RecordType type, Long recordId, Outcome outcome, Long[] recordIds,
            Long actorId, Map<String, Object> detail) {
        AuditEvent e = new AuditEvent();
        e.recordIds = recordIds;
        e.detail = detail;
        e.occurredAt = Instant.now();
        e.actorId = actorId;
        e.action = action.code();
        e.recordType = type.code();
        e.recordId = recordId;
        e.outcome = outcome.code();
        var ctx = request.getCurrent();
        if (ctx != null) {
            // The service's id, never the client's header: a client must not choose the id its
            // requests are found by. The client's id (already checked by RequestId) goes beside it.
            e.requestId = idOf(MDC.get(RequestId.MDC_KEY), ctx.get(RequestId.MDC_KEY));
            e.clientRequestId = idOf(MDC.get(RequestId.CLIENT_MDC_KEY), ctx.get(RequestId.CLIENT_MDC_KEY));
            var remote = ctx.request().remoteAddress();
            e.clientAddress = remote == null ? null : truncate(remote.hostAddress(), 64);
        }
        return e;
    }

    private static String idOf(Object fromMdc, Object fromRequest) {
        Object id = fromMdc != null ? fromMdc : fromRequest;
        return id == null ? null : truncate(id.toString(), 64);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        writer = new Thread(this::drainLoop, "audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Lets the writer drain everything queued, then returns. Requests have finished by now. */
    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (writer != null) {
            writer.interrupt();
            try {
                writer.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void drainLoop() {
        List<AuditEvent> batch = new ArrayList<>(BATCH_SIZE);
        int failuresAfterStop = 0;
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    AuditEvent first = queue.poll(BATCH_WAIT_MS, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, BATCH_SIZE - 1);
                }
                if (write(batch)) {
                    batch.clear();
                } else if (!running && ++failuresAfterStop > 5) {
                    LOG.errorf("Shutdown: %d audit events could not be written", batch.size() + queue.size());
                    return;
                } else {
                    Thread.sleep(1_000); // the database is away: keep the batch and retry
                }
            } catch (InterruptedException e) {
                // shutdown asked: the loop goes on until the queue is empty
            }
        }
    }

    /** One transaction per batch; true when written. */
    private boolean write(List<AuditEvent> batch) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            c.setAutoCommit(false);
            for (AuditEvent e : batch) {
                ps.setTimestamp(1, Timestamp.from(e.occurredAt));
                setLong(ps, 2, e.actorId);
                ps.setString(3, e.action);
                ps.setString(4, e.recordType);
                setLong(ps, 5, e.recordId);
                ps.setString(6, e.outcome);
                ps.setString(7, e.requestId);
                ps.setString(8, e.clientAddress);
                if (e.recordIds == null) {
                    ps.setNull(9, Types.ARRAY);
                } else {
                    ps.setArray(9, c.createArrayOf("bigint", e.recordIds));
                }
                ps.setString(10, e.clientRequestId);
                ps.setString(11, toJson(e.detail));
                setLong(ps, 12, e.organizationId);
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
            pending.addAndGet(-batch.size());
            return true;
        } catch (SQLException e) {
            LOG.warnf("Audit batch of %d events not written yet (SQLState %s); will retry", batch.size(), e.getSQLState());
            return false;
        }
    }

    private String toJson(Map<String, Object> detail) {
        if (detail == null) {
            return null;
        }
        try {
            return json.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not serialisable", e);
        }
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
