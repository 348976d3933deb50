package org.acme.healthcare.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;

/**
 * Recomputes the chain over a time window and names the first event that does not fit
 * (docs/history-and-audit.md, "Tamper evidence" and "Verifying in parallel").
 * <p>
 * The request's thread (the <em>coordinator</em>) opens one REPEATABLE READ, read-only
 * transaction, exports its snapshot ({@code pg_export_snapshot()}) and walks the seals in order
 * (month, then seq), checking what is cheap on the seal rows themselves: no seal missing, each
 * seal's {@code prev_hash} equal to the previous seal's stored hash, each seal's MAC. Recomputing a
 * seal's events (the costly part: every event's MAC and the chain from its {@code prev_hash} to its
 * {@code hash}) depends on nothing but that seal, so it is a <em>job</em>: up to
 * {@code healthcare.audit.verify-workers - 1} worker threads, each on a pooled connection of its
 * own that imports the coordinator's snapshot ({@code SET TRANSACTION SNAPSHOT}), take jobs from a
 * queue; the coordinator takes the oldest job itself when no worker has, and later queued jobs
 * while a worker holds the oldest (it never waits while there is work). Results are consumed
 * strictly in seal order, so the answer is the sequential one: the first broken event (earliest
 * month, then seq, then id) wins even when a later seal's failure is found first. At most
 * {@link #WINDOW_PER_WORKER} jobs a thread are in flight (a job is a seal's metadata, its rows are
 * streamed with a cursor, {@value #FETCH} at a time), so memory does not grow with the trail.
 * <p>
 * Worker connections are best effort: a worker that gets no connection in the pool's acquisition
 * timeout (pool exhausted) or cannot import the snapshot simply does not take part; the
 * coordinator alone always finishes (that is the one-worker case). Every thread and connection is
 * released before {@link #verify} returns, on success, a broken event, an error or the client
 * going away.
 */
@ApplicationScoped
public class AuditVerifier {
    private static final Logger LOG = Logger.getLogger(AuditVerifier.class);
    static final int FETCH = 10_000;
    static final int MAX_WORKERS = 16;
    static final int WINDOW_PER_WORKER = 4;
    /** Every wait of the verify is bounded by this (the statement timeout below, plus a minute for the socket). */
    private static final long STATEMENT_TIMEOUT_MINUTES = 60;
    private static final Pattern MONTH = Pattern.compile("audit_(?:events|seals)_y(\\d{4})m(\\d{2})");
    private static final Executor DIRECT = Runnable::run;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final AgroalDataSource dataSource;
    private final AuditKey key;
    private final int workers;

    AuditVerifier(AgroalDataSource dataSource, AuditKey key, AuditConfig config) {
        this.dataSource = dataSource;
        this.key = key;
        this.workers = workers(config.verifyWorkers(), Runtime.getRuntime().availableProcessors());
    }

    /** 0 = the available processors; always within 1..{@value #MAX_WORKERS}. */
    static int workers(int configured, int processors) {
        int n = configured <= 0 ? processors : configured;
        return Math.max(1, Math.min(MAX_WORKERS, n));
    }

    /**
     * The extra connections a verify with {@code workers} threads may take from a pool of
     * {@code poolMax}: {@code workers - 1} (the coordinator's connection is the one a sequential
     * verify takes too), and never more than a quarter of the pool, so request traffic keeps the rest.
     */
    static int extraConnections(int workers, int poolMax) {
        return Math.max(0, Math.min(workers - 1, poolMax / 4));
    }

    public int workers() {
        return workers;
    }

    /**
     * The outcome: {@code events} checked in the window, the first broken event (null when none
     * can be named, e.g. a seal altered), {@code pending} events in the window the sealer has not
     * chained yet (they are checked once it has), and what was wrong.
     */
    public record Result(boolean verified, long events, Instant from, Instant to, Long firstBrokenEventId, long pending,
            String problem) {
    }

    private static final class Broken extends Exception {
        final Long eventId;
        final String problem;

        Broken(Long eventId, String problem) {
            super(problem, null, false, false);
            this.eventId = eventId;
            this.problem = problem;
        }
    }

    /**
     * One step of the walk, in the order the sequential verify takes them: a seal's events (run by
     * whichever thread claims it), a seal that failed the coordinator's own checks (already done),
     * or the end of a month (the coordinator's "every event is in a seal or pending" check).
     */
    private static final class Step {
        final YearMonth month;
        final long seq;
        final List<long[]> ranges;
        final int count;
        final byte[] prev;
        final byte[] hash;
        final Long firstId;
        final String events;
        final boolean monthEnd;
        final boolean hasSeals;
        final AtomicBoolean claimed = new AtomicBoolean();
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

        Step(YearMonth month, long seq, List<long[]> ranges, int count, byte[] prev, byte[] hash, String events) {
            this.month = month;
            this.seq = seq;
            this.ranges = ranges;
            this.count = count;
            this.prev = prev;
            this.hash = hash;
            this.firstId = ranges.isEmpty() ? null : ranges.get(0)[0];
            this.events = events;
            this.monthEnd = false;
            this.hasSeals = true;
        }

        /** The end of a month that has an events partition. */
        Step(YearMonth month, String events, boolean hasSeals) {
            this.month = month;
            this.seq = 0;
            this.ranges = List.of();
            this.count = 0;
            this.prev = null;
            this.hash = null;
            this.firstId = null;
            this.events = events;
            this.monthEnd = true;
            this.hasSeals = hasSeals;
            claimed.set(true);
        }

        static Step broken(Broken b) {
            Step s = new Step(null, 0, List.of(), 0, null, null, null);
            s.claimed.set(true);
            s.outcome.complete(new Outcome(0, b));
            return s;
        }
    }

    /** A seal's events checked: how many of them are in the window, and the first broken one if any. */
    private record Outcome(long inWindow, Broken broken) {
    }

    /** What the threads of one verify share; read-only but for the stop flag. */
    private final class Run {
        final Instant from;
        final Instant to;
        final BooleanSupplier abandoned;
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(STATEMENT_TIMEOUT_MINUTES + 1);
        final LinkedBlockingQueue<Step> queue = new LinkedBlockingQueue<>();
        /** The workers' connections, to abort if a worker does not stop (a database that stopped answering). */
        final java.util.Queue<Connection> workerConnections = new java.util.concurrent.ConcurrentLinkedQueue<>();
        /** The workers' threads, joined before the verify returns. */
        final java.util.Queue<Thread> threads = new java.util.concurrent.ConcurrentLinkedQueue<>();
        volatile boolean stop;
        /** Steps the coordinator recomputed while a worker held the oldest one (logged: the split of the work). */
        int coordinatorHelped;
        String snapshot;
        long maxSealed;
        long legacyThrough;
        String holes;

        Run(Instant from, Instant to, BooleanSupplier abandoned) {
            this.from = from;
            this.to = to;
            this.abandoned = abandoned;
        }

        boolean inWindow(Instant t) {
            return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
        }

        void checkGoing() throws SQLException {
            if (abandoned.getAsBoolean()) {
                throw new SQLException("audit verification abandoned: the client went away", "57014");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new SQLException("audit verification took longer than " + (STATEMENT_TIMEOUT_MINUTES + 1) + " minutes", "57014");
            }
        }
    }

    /** A thread's own hashing state and buffers: reused for every row it checks. */
    private final class Hasher {
        final AuditChain chain = key.chain();
        final AuditChain.Row row = new AuditChain.Row();
        final byte[] digest = new byte[32];
        final byte[] h = new byte[32];
    }

    public Result verify(Instant from, Instant to) throws SQLException {
        return verify(from, to, workers, () -> false);
    }

    public Result verify(Instant from, Instant to, BooleanSupplier abandoned) throws SQLException {
        return verify(from, to, workers, abandoned);
    }

    /** With {@code threads} recomputing (1: the request's thread alone, on its one connection). */
    Result verify(Instant from, Instant to, int threads, BooleanSupplier abandoned) throws SQLException {
        int extra = extraConnections(Math.max(1, Math.min(MAX_WORKERS, threads)),
                dataSource.getConfiguration().connectionPoolConfiguration().maxSize());
        Run run = new Run(from, to, abandoned);
        try (Connection c = dataSource.getConnection()) {
            int networkTimeout = c.getNetworkTimeout();
            begin(c);
            ExecutorService pool = null;
            try (Statement st = c.createStatement()) {
                st.execute("set local statement_timeout = '" + STATEMENT_TIMEOUT_MINUTES + "min'");
                if (extra > 0) {
                    try (ResultSet rs = st.executeQuery("select pg_export_snapshot()")) {
                        rs.next();
                        run.snapshot = rs.getString(1);
                    }
                }
                try (ResultSet rs = st.executeQuery("select max_sealed, legacy_through,"
                        + " (select coalesce(range_agg(r), '{}')::text from audit_seal_holes h, unnest(h.ids) r)"
                        + " from audit_seal_state")) {
                    rs.next();
                    run.maxSealed = rs.getLong(1);
                    run.legacyThrough = rs.getLong(2);
                    run.holes = rs.getString(3);
                }
                if (extra > 0) {
                    pool = Executors.newFixedThreadPool(extra, r -> {
                        Thread t = new Thread(r, "audit-verify-" + THREADS.incrementAndGet());
                        t.setDaemon(true);
                        run.threads.add(t);
                        return t;
                    });
                    for (int i = 0; i < extra; i++) {
                        pool.execute(() -> worker(run));
                    }
                }
                return walk(c, st, run, new Hasher(), extra);
            } finally {
                run.stop = true;
                if (pool != null) {
                    stop(pool, run);
                }
                c.rollback();
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setNetworkTimeout(DIRECT, networkTimeout);
            }
        }
    }

    /** Workers finish their current fetch and return their connections; bounded, never left running. */
    private static void stop(ExecutorService pool, Run run) {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                // Stuck in a read: closing their sockets ends it (the pool drops those connections).
                LOG.warn("Audit verify workers did not stop within 30 s; aborting their connections");
                for (Connection c : run.workerConnections) {
                    try {
                        c.abort(DIRECT);
                    } catch (SQLException | RuntimeException e) {
                        LOG.debugf("Aborting an audit verify worker's connection: %s", e.getMessage());
                    }
                }
                if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("Audit verify workers still running after their connections were aborted");
                }
            }
            // The pool is terminated once its last task has returned, while that thread is still
            // exiting: wait for the threads themselves, so none outlives the verify.
            for (Thread t : run.threads) {
                t.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void begin(Connection c) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
        // Bounded like the statements (plus a minute), never 0: a database that stops answering
        // mid-stream must not hold this request and its connection forever.
        c.setNetworkTimeout(DIRECT, (int) TimeUnit.MINUTES.toMillis(STATEMENT_TIMEOUT_MINUTES + 1));
    }

    /** The coordinator: the steps in order, at most a window of them in flight, outcomes consumed in order. */
    private Result walk(Connection c, Statement st, Run run, Hasher own, int extra) throws SQLException {
        int window = WINDOW_PER_WORKER * (extra + 1);
        ArrayDeque<Step> inFlight = new ArrayDeque<>();
        long[] totals = new long[2]; // events, pending
        long[] monthSealed = new long[1];
        try {
            for (YearMonth month : months(st, run.from, run.to)) {
                if (enumerate(c, run, month, inFlight, window, own, totals, monthSealed)) {
                    break;
                }
            }
            while (!inFlight.isEmpty()) {
                consume(c, run, inFlight.pollFirst(), own, totals, monthSealed);
            }
            LOG.debugf("Audit verify: %d events, %d worker threads, %d steps recomputed by the coordinator while a worker held the oldest",
                    totals[0], extra, run.coordinatorHelped);
            return new Result(true, totals[0], run.from, run.to, null, totals[1], null);
        } catch (Broken b) {
            return new Result(false, totals[0], run.from, run.to, b.eventId, totals[1], b.problem);
        }
    }

    /**
     * Queues a month's steps (its seals, then its end). Returns true once a step that is already
     * broken was queued: nothing after it can be the first broken event.
     */
    private boolean enumerate(Connection c, Run run, YearMonth month, ArrayDeque<Step> inFlight,
            int window, Hasher own, long[] totals, long[] monthSealed) throws SQLException, Broken {
        String events = AuditPartitions.name(month);
        boolean hasEvents = exists(c, events);
        boolean hasSeals = exists(c, AuditPartitions.sealName(month));
        if (hasSeals) {
            Long lastSeq = null;
            byte[] expectedPrev = null;
            AuditChain chain = own.chain;
            try (PreparedStatement ps = c.prepareStatement("select seq, ids::text, events, first_at, last_at, prev_hash, hash, mac"
                    + " from audit_seals where month = ? and last_at >= coalesce(?, '-infinity'::timestamptz)"
                    + " and first_at < coalesce(?, 'infinity'::timestamptz) order by seq")) {
                ps.setObject(1, month.atDay(1));
                bindWindow(ps, 2, run);
                ps.setFetchSize(1_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(1);
                        List<long[]> ranges = AuditChain.parseRanges(rs.getString(2));
                        int count = rs.getInt(3);
                        Instant first = rs.getObject(4, OffsetDateTime.class).toInstant();
                        Instant last = rs.getObject(5, OffsetDateTime.class).toInstant();
                        byte[] prev = rs.getBytes(6);
                        byte[] hash = rs.getBytes(7);
                        byte[] mac = rs.getBytes(8);
                        Long firstId = ranges.isEmpty() ? null : ranges.get(0)[0];
                        Broken broken = null;
                        if (lastSeq == null) {
                            expectedPrev = seq == 1 ? chain.start(month) : hashOf(c, month, seq - 1);
                            if (expectedPrev == null) {
                                broken = new Broken(firstId, "seal " + month + "/" + (seq - 1) + " is missing");
                            }
                        } else if (seq != lastSeq + 1) {
                            broken = new Broken(firstId, "seal " + month + "/" + (lastSeq + 1) + " is missing");
                        }
                        if (broken == null && !AuditChain.equal(prev, expectedPrev)) {
                            broken = new Broken(firstId, "seal " + month + "/" + seq + " does not follow its predecessor");
                        }
                        if (broken == null && !AuditChain.equal(mac, chain.sealMac(month, seq, ranges, count, first, last, prev, hash))) {
                            broken = new Broken(firstId, "seal " + month + "/" + seq + " was altered");
                        }
                        if (broken == null && !hasEvents) {
                            broken = new Broken(firstId, "the events of " + month + " are gone but its seals are not");
                        }
                        if (broken != null) {
                            // Queued, not thrown: an earlier seal still being recomputed may hold an earlier break.
                            push(c, run, Step.broken(broken), inFlight, window, own, totals, monthSealed);
                            return true;
                        }
                        Step step = new Step(month, seq, ranges, count, prev, hash, events);
                        push(c, run, step, inFlight, window, own, totals, monthSealed);
                        lastSeq = seq;
                        expectedPrev = hash;
                    }
                }
            }
        }
        if (hasEvents) {
            push(c, run, new Step(month, events, hasSeals), inFlight, window, own, totals, monthSealed);
        }
        return false;
    }

    private void push(Connection c, Run run, Step step, ArrayDeque<Step> inFlight, int window, Hasher own, long[] totals,
            long[] monthSealed) throws SQLException, Broken {
        while (inFlight.size() >= window) {
            consume(c, run, inFlight.pollFirst(), own, totals, monthSealed);
        }
        inFlight.addLast(step);
        if (!step.claimed.get() && run.snapshot != null) {
            run.queue.add(step);
        }
    }

    /** The oldest step's outcome: run here if no worker has claimed it, else waited for (bounded). */
    private void consume(Connection c, Run run, Step step, Hasher own, long[] totals, long[] monthSealed)
            throws SQLException, Broken {
        run.checkGoing();
        if (step.monthEnd) {
            long sealedInWindow = monthSealed[0];
            monthSealed[0] = 0;
            monthEnd(c, run, step, sealedInWindow, totals);
            return;
        }
        if (step.claimed.compareAndSet(false, true)) {
            step.outcome.complete(check(c, run, own, step));
        } else {
            help(c, run, own, step);
        }
        Outcome o = await(run, step);
        totals[0] += o.inWindow;
        monthSealed[0] += o.inWindow;
        if (o.broken != null) {
            throw o.broken;
        }
    }

    /**
     * While a worker recomputes the oldest step, the coordinator recomputes later queued steps
     * rather than wait: waiting made the threads take turns (a worker claims the next step the
     * moment it is queued, so the coordinator always found the oldest one taken). Outcomes are
     * still consumed in seal order.
     */
    private static void help(Connection c, Run run, Hasher own, Step oldest) throws SQLException {
        while (!oldest.outcome.isDone()) {
            run.checkGoing();
            Step next = run.queue.poll();
            if (next == null) {
                return;
            }
            if (next.claimed.compareAndSet(false, true)) {
                try {
                    next.outcome.complete(check(c, run, own, next));
                } catch (SQLException | RuntimeException e) {
                    next.outcome.completeExceptionally(e);
                    throw e;
                }
                run.coordinatorHelped++;
            }
        }
    }

    private static Outcome await(Run run, Step step) throws SQLException {
        while (true) {
            try {
                return step.outcome.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                run.checkGoing();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("audit verification interrupted", "57014");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SQLException s) {
                    throw s;
                }
                throw new SQLException("audit verification failed: " + cause, "XX000", cause);
            }
        }
    }

    /** A worker: a connection of its own in the coordinator's snapshot, then steps until stopped. */
    private void worker(Run run) {
        try (Connection c = dataSource.getConnection()) {
            run.workerConnections.add(c);
            int networkTimeout = c.getNetworkTimeout();
            begin(c);
            try (Statement st = c.createStatement()) {
                st.execute("set transaction snapshot '" + run.snapshot.replace("'", "''") + "'");
                st.execute("set local statement_timeout = '" + STATEMENT_TIMEOUT_MINUTES + "min'");
                Hasher own = new Hasher();
                while (!run.stop) {
                    Step step = run.queue.poll(100, TimeUnit.MILLISECONDS);
                    if (step == null || !step.claimed.compareAndSet(false, true)) {
                        continue;
                    }
                    try {
                        step.outcome.complete(check(c, run, own, step));
                    } catch (Throwable e) {
                        // Never leave a claimed step without an outcome: the coordinator waits for it.
                        step.outcome.completeExceptionally(e);
                        return;
                    }
                }
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setNetworkTimeout(DIRECT, networkTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            // No connection (pool exhausted), or the snapshot is gone (the verify ended): the
            // coordinator does the work this worker does not.
            LOG.debugf("An audit verify worker stopped: %s", e.getMessage());
        }
    }

    /** Recomputes one seal's events on {@code c}: every id of its ranges present, each MAC, the chain to its hash. */
    private static Outcome check(Connection c, Run run, Hasher own, Step step) throws SQLException {
        AuditChain chain = own.chain;
        AuditChain.Row row = own.row;
        byte[] d = own.digest;
        byte[] h = own.h;
        System.arraycopy(step.prev, 0, h, 0, 32);
        long inWindow = 0;
        int seen = 0;
        try (PreparedStatement ev = c.prepareStatement("select " + AuditChain.COLUMNS + " from " + step.events
                + " where id >= ? and id < ? order by id")) {
            ev.setFetchSize(FETCH);
            for (long[] r : step.ranges) {
                ev.setLong(1, r[0]);
                ev.setLong(2, r[1]);
                long expected = r[0];
                try (ResultSet er = ev.executeQuery()) {
                    while (er.next()) {
                        if ((seen & 0xFFF) == 0 && run.stop) {
                            throw new SQLException("audit verification stopped", "57014");
                        }
                        AuditChain.read(er, row);
                        if (row.id != expected) {
                            return new Outcome(inWindow, new Broken(expected, "event " + expected + " was deleted"));
                        }
                        boolean legacy = row.mac == null && row.id <= run.legacyThrough && row.recordCount == null;
                        if (row.recordCount != null) {
                            chain.digestWithParts(row, c, d);
                        } else {
                            chain.digest(row, legacy, d);
                        }
                        if (!legacy && !AuditChain.equal(row.mac, d)) {
                            return new Outcome(inWindow, new Broken(row.id, "event " + row.id + " was altered or not written by the service"));
                        }
                        chain.next(h, d, h);
                        seen++;
                        if (run.inWindow(row.occurredAt)) {
                            inWindow++;
                        }
                        expected++;
                    }
                }
                if (expected != r[1]) {
                    return new Outcome(inWindow, new Broken(expected, "event " + expected + " was deleted"));
                }
            }
        }
        if (seen != step.count || !AuditChain.equal(h, step.hash)) {
            return new Outcome(inWindow, new Broken(step.firstId, "seal " + step.month + "/" + step.seq + " does not match its events"));
        }
        return new Outcome(inWindow, null);
    }

    /** The months that have an events or a seals partition and overlap the window. */
    private static TreeSet<YearMonth> months(Statement st, Instant from, Instant to) throws SQLException {
        TreeSet<YearMonth> months = new TreeSet<>();
        try (ResultSet rs = st.executeQuery("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                + " where i.inhparent in ('audit_events'::regclass, 'audit_seals'::regclass)")) {
            while (rs.next()) {
                Matcher m = MONTH.matcher(rs.getString(1));
                if (m.matches()) {
                    YearMonth month = YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                    Instant start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                    Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                    if ((to == null || start.isBefore(to)) && (from == null || end.isAfter(from))) {
                        months.add(month);
                    }
                }
            }
        }
        return months;
    }

    /** Every event of the month's window is in a seal, or waits for the sealer (above its position, or in a hole). */
    private static void monthEnd(Connection c, Run run, Step step, long sealedInWindow, long[] totals) throws SQLException, Broken {
        String events = step.events;
        String window = "occurred_at >= coalesce(?, '-infinity'::timestamptz) and occurred_at < coalesce(?, 'infinity'::timestamptz)";
        String pendingIds = "(id > ? or id <@ ?::int8multirange)";
        long total;
        long pending;
        try (PreparedStatement ps = c.prepareStatement("select count(*), count(*) filter (where " + pendingIds + ") from "
                + events + " where " + window)) {
            ps.setLong(1, run.maxSealed);
            ps.setString(2, run.holes);
            bindWindow(ps, 3, run);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
                pending = rs.getLong(2);
            }
        }
        totals[1] += pending;
        if (total == sealedInWindow + pending) {
            return;
        }
        String sealed = step.hasSeals ? "(select coalesce(range_agg(r), '{}') from " + AuditPartitions.sealName(step.month)
                + " s, unnest(s.ids) r)" : "'{}'::int8multirange";
        try (PreparedStatement ps = c.prepareStatement("select min(id) from " + events + " where " + window
                + " and not id <@ " + sealed + " and not " + pendingIds)) {
            bindWindow(ps, 1, run);
            ps.setLong(3, run.maxSealed);
            ps.setString(4, run.holes);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                throw new Broken(rs.wasNull() ? null : id, "an event in no seal (inserted by hand)");
            }
        }
    }

    private static void bindWindow(PreparedStatement ps, int index, Run run) throws SQLException {
        ps.setObject(index, run.from == null ? null : OffsetDateTime.ofInstant(run.from, ZoneOffset.UTC));
        ps.setObject(index + 1, run.to == null ? null : OffsetDateTime.ofInstant(run.to, ZoneOffset.UTC));
    }

    private static byte[] hashOf(Connection c, YearMonth month, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select hash from audit_seals where month = ? and seq = ?")) {
            ps.setObject(1, month.atDay(1));
            ps.setLong(2, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select to_regclass(?) is not null")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
