package org.acme.healthcare.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import io.vertx.ext.web.RoutingContext;

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
    private static final String INSERT = "insert into audit_events (id, occurred_at, actor_id, action, record_type, record_id,"
            + " outcome, request_id, client_address, record_ids, client_request_id, detail, organization_id, via, mac,"
            + " record_count) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?, ?)";
    /** Ids per row of {@code audit_event_records} (V19 checks the same bound). */
    static final int PART_SIZE = 10_000;
    /** Ids taken by a transaction that already has its xid (V14): what the sealer's hole tracking relies on. */
    private static final String NEXT_IDS = "select audit_next_ids(?)";
    /** The detail key of the system client an event's actor is (its row id); see {@link #withClient}. */
    public static final String CLIENT_DETAIL = "client";

    private final BlockingQueue<AuditEvent> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong pending = new AtomicLong();
    private final AgroalDataSource dataSource;
    private final CurrentUser caller;
    private final CurrentVertxRequest request;
    private volatile boolean running;
    private Thread writer;

    private final ObjectMapper json;
    private final ThreadLocal<AuditChain> chains;
    /** The events of changes made inside {@link #batched}, written when it ends; null outside it. */
    private final ThreadLocal<List<AuditEvent>> batched = new ThreadLocal<>();

    AuditLog(AgroalDataSource dataSource, CurrentUser caller, CurrentVertxRequest request, ObjectMapper json, AuditKey key) {
        this.dataSource = dataSource;
        this.chains = ThreadLocal.withInitial(key::chain);
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
        AuditEvent e = event(action, type, recordId, Outcome.SUCCESS, null, caller.idOrNull(), withClient(detail));
        e.organizationId = organizationId;
        inCallersTransaction(List.of(e));
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
        AuditEvent template = event(action, type, null, Outcome.SUCCESS, null, actorId, detail);
        List<AuditEvent> events = new ArrayList<>(recordIds.size());
        for (Long recordId : recordIds) {
            AuditEvent e = copy(template);
            e.recordId = recordId;
            e.organizationId = organizationId;
            events.add(e);
        }
        inCallersTransaction(events);
    }

    private void inCallersTransaction(List<AuditEvent> events) {
        List<AuditEvent> batch = batched.get();
        if (batch != null) {
            batch.addAll(events);
            return;
        }
        AuditEvent.getEntityManager().unwrap(Session.class).doWork(c -> insert(c, events));
    }

    /**
     * Runs {@code work} (many changes in the caller's transaction: a FHIR transaction bundle) with
     * the events of its changes written in one batch when it ends, still in that transaction: no
     * change without its event, no event for a rolled-back change, and two statements for the whole
     * batch instead of two per change.
     */
    @Transactional(TxType.MANDATORY)
    public <T> T batched(java.util.function.Supplier<T> work) {
        if (batched.get() != null) {
            return work.get();
        }
        List<AuditEvent> events = new ArrayList<>();
        batched.set(events);
        try {
            T result = work.get();
            batched.remove();
            if (!events.isEmpty()) {
                inCallersTransaction(events);
            }
            return result;
        } finally {
            batched.remove();
        }
    }

    private static AuditEvent copy(AuditEvent t) {
        AuditEvent e = new AuditEvent();
        e.occurredAt = t.occurredAt;
        e.actorId = t.actorId;
        e.action = t.action;
        e.recordType = t.recordType;
        e.outcome = t.outcome;
        e.requestId = t.requestId;
        e.clientRequestId = t.clientRequestId;
        e.clientAddress = t.clientAddress;
        e.detail = t.detail;
        e.via = t.via;
        return e;
    }

    /**
     * Records an authentication event through the batching writer: the actor is named, since a
     * login has no caller yet, and the detail says what ids cannot (never a password or a token).
     */
    public void security(Action action, RecordType type, Long actorId, Long recordId, Outcome outcome, Map<String, Object> detail) {
        enqueue(event(action, type, recordId, outcome, null, actorId, detail));
    }

    /** As {@link #security(Action, RecordType, Long, Long, Outcome, Map)}, naming the organization it concerns (a system client's). */
    public void security(Action action, RecordType type, Long actorId, Long recordId, Outcome outcome, Map<String, Object> detail,
            Long organizationId) {
        AuditEvent e = event(action, type, recordId, outcome, null, actorId, detail);
        e.organizationId = organizationId;
        enqueue(e);
    }

    /**
     * As {@link #security}, for an event on the event loop before the request has a request scope
     * (a login shed at admission): the request id and client address come from {@code ctx}, and
     * the event is queued without waiting. False when the queue is full and it was not recorded.
     */
    public boolean securityAtAdmission(RoutingContext ctx, Action action, RecordType type, Outcome outcome,
            Map<String, Object> detail) {
        AuditEvent e = event(action, type, null, outcome, null, null, detail, ctx);
        pending.incrementAndGet();
        if (!queue.offer(e)) {
            pending.decrementAndGet();
            return false;
        }
        return true;
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

    /**
     * Records a bulk export, inside the caller's transaction (the one that completes the job): one
     * event, via {@code export}, with the ids of the patients whose data the export held (the
     * access report finds it through them), the user who took it (null for a registered client,
     * named in the detail with the job) and the organization of a Group export.
     * <p>
     * The ids never pass through the heap, however many (an export of 1,000,000 patients):
     * {@code heldIds} is a query (one column {@code id}, bound to {@code params}) that PostgreSQL
     * runs to build the event's parts in {@code audit_event_records} (V19, 10,000 ids each), and the
     * MAC reads them back a part at a time (AuditChain#digestWithParts).
     */
    @Transactional(TxType.MANDATORY)
    public void exported(Long actorId, Long organizationId, Map<String, Object> detail, String heldIds, Object... params) {
        AuditEvent e = event(Action.LIST, RecordType.PATIENT, null, Outcome.SUCCESS, null, actorId, detail);
        e.organizationId = organizationId;
        e.via = "export";
        AuditEvent.getEntityManager().unwrap(Session.class).doWork(c -> insertWithParts(c, e, heldIds, params));
    }

    /** The event's id, its parts built from {@code heldIds}, its MAC over them, then the event. */
    private void insertWithParts(Connection c, AuditEvent e, String heldIds, Object[] params) throws SQLException {
        try (PreparedStatement ids = c.prepareStatement(NEXT_IDS)) {
            ids.setInt(1, 1);
            try (var rs = ids.executeQuery()) {
                rs.next();
                e.id = rs.getLong(1);
            }
        }
        long count = 0;
        try (PreparedStatement parts = c.prepareStatement("insert into audit_event_records (event_id, occurred_at, part, record_ids)"
                + " select ?, ?, (n - 1) / " + PART_SIZE + ", array_agg(id order by id) from (select id, row_number() over"
                + " (order by id) n from (select distinct h.id from (" + heldIds + ") h where h.id is not null) d) x"
                + " group by (n - 1) / " + PART_SIZE + " returning cardinality(record_ids)")) {
            parts.setLong(1, e.id);
            parts.setTimestamp(2, Timestamp.from(e.occurredAt));
            for (int i = 0; i < params.length; i++) {
                parts.setObject(3 + i, params[i]);
            }
            try (var rs = parts.executeQuery()) {
                while (rs.next()) {
                    count += rs.getLong(1);
                }
            }
        }
        e.recordCount = Math.toIntExact(count);
        byte[] mac = new byte[32];
        chains.get().digestWithParts(row(e), c, mac);
        e.mac = mac;
        insert(c, List.of(e), true);
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
        AuditEvent e = event(action, type, recordId, outcome, null, caller.idOrNull(), withClient(detail));
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
        return event(action, type, recordId, outcome, recordIds, caller.idOrNull(), withClient(null));
    }

    /**
     * The detail of an event whose actor is the caller: a system client has no user id, so it is
     * named here ({@code client}: its row id, {@code clientId}: its public id), where the access
     * report finds it ({@code actor.type} {@code client}).
     */
    private Map<String, Object> withClient(Map<String, Object> detail) {
        CurrentUser.SystemCaller client = caller.systemOrNull();
        if (client == null) {
            return detail;
        }
        Map<String, Object> named = detail == null ? new java.util.LinkedHashMap<>() : new java.util.LinkedHashMap<>(detail);
        named.put(CLIENT_DETAIL, client.id());
        named.put("clientId", client.clientId());
        return named;
    }

    private AuditEvent event(Action action, RecordType type, Long recordId, Outcome outcome, Long[] recordIds,
            Long actorId, Map<String, Object> detail) {
        return event(action, type, recordId, outcome, recordIds, actorId, detail, request.getCurrent());
    }

    private static AuditEvent event(Action action, RecordType type, Long recordId, Outcome outcome, Long[] recordIds,
            Long actorId, Map<String, Object> detail, RoutingContext ctx) {
        AuditEvent e = new AuditEvent();
        e.recordIds = recordIds;
        e.detail = detail;
        // Microseconds: what PostgreSQL keeps, so the MAC is over the value stored.
        e.occurredAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        e.actorId = actorId;
        e.action = action.code();
        e.recordType = type.code();
        e.recordId = recordId;
        e.outcome = outcome.code();
        if (ctx != null) {
            // The service's id, never the client's header: a client must not choose the id its
            // requests are found by. The client's id (already checked by RequestId) goes beside it.
            e.requestId = idOf(MDC.get(RequestId.MDC_KEY), ctx.get(RequestId.MDC_KEY));
            e.clientRequestId = idOf(MDC.get(RequestId.CLIENT_MDC_KEY), ctx.get(RequestId.CLIENT_MDC_KEY));
            e.via = viaOf(ctx.request().path());
            var remote = ctx.request().remoteAddress();
            e.clientAddress = remote == null ? null : truncate(remote.hostAddress(), 64);
        }
        return e;
    }

    /** The channel of a request: the FHIR view, else the REST API (system exports set their own). */
    static String viaOf(String path) {
        return path != null && (path.equals("/fhir") || path.startsWith("/fhir/")) ? "fhir" : "rest";
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

    /** One transaction per batch; true when written. Ids and MACs are taken afresh on every attempt. */
    private boolean write(List<AuditEvent> batch) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                insert(c, batch);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            pending.addAndGet(-batch.size());
            return true;
        } catch (SQLException e) {
            LOG.warnf("Audit batch of %d events not written yet (SQLState %s); will retry", batch.size(), e.getSQLState());
            return false;
        }
    }

    /**
     * Inserts events in the connection's transaction: ids from {@code audit_next_ids} (so the
     * sealer can tell an id not committed yet from one never to be), then each event's MAC over
     * its canonical encoding with that id (AuditChain), then one batched INSERT.
     */
    private void insert(Connection c, List<AuditEvent> events) throws SQLException {
        try (PreparedStatement ids = c.prepareStatement(NEXT_IDS)) {
            ids.setInt(1, events.size());
            try (var rs = ids.executeQuery()) {
                for (AuditEvent e : events) {
                    rs.next();
                    e.id = rs.getLong(1);
                }
            }
        }
        insert(c, events, false);
    }

    /** The INSERT of events that have their ids, each with its MAC ({@code withMacs}) or one computed here. */
    private void insert(Connection c, List<AuditEvent> events, boolean withMacs) throws SQLException {
        AuditChain chain = chains.get();
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (AuditEvent e : events) {
                if (!withMacs) {
                    e.mac = chain.mac(row(e));
                }
                ps.setLong(1, e.id);
                ps.setTimestamp(2, Timestamp.from(e.occurredAt));
                setLong(ps, 3, e.actorId);
                ps.setString(4, e.action);
                ps.setString(5, e.recordType);
                setLong(ps, 6, e.recordId);
                ps.setString(7, e.outcome);
                ps.setString(8, e.requestId);
                ps.setString(9, e.clientAddress);
                if (e.recordIds == null) {
                    ps.setNull(10, Types.ARRAY);
                } else {
                    ps.setArray(10, c.createArrayOf("bigint", e.recordIds));
                }
                ps.setString(11, e.clientRequestId);
                ps.setString(12, toJson(e.detail));
                setLong(ps, 13, e.organizationId);
                ps.setString(14, e.via);
                ps.setBytes(15, e.mac);
                if (e.recordCount == null) {
                    ps.setNull(16, Types.INTEGER);
                } else {
                    ps.setInt(16, e.recordCount);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static AuditChain.Row row(AuditEvent e) {
        AuditChain.Row r = new AuditChain.Row();
        r.id = e.id;
        r.occurredAt = e.occurredAt;
        r.actorId = e.actorId;
        r.action = e.action;
        r.recordType = e.recordType;
        r.recordId = e.recordId;
        r.recordIds = e.recordIds;
        r.outcome = e.outcome;
        r.requestId = e.requestId;
        r.clientRequestId = e.clientRequestId;
        r.clientAddress = e.clientAddress;
        r.organizationId = e.organizationId;
        r.detail = AuditChain.canonicalJson(e.detail);
        r.via = e.via;
        r.recordCount = e.recordCount;
        return r;
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
