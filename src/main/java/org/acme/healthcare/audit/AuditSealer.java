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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;

/**
 * Chains the audit events that committed since the last run (docs/history-and-audit.md, "Tamper
 * evidence"). Requests only INSERT events; this job, every {@code HEALTHCARE_AUDIT_SEAL_INTERVAL}
 * on whichever replica gets the PostgreSQL advisory lock first (the others skip that round), reads
 * in one REPEATABLE READ snapshot:
 * <ul>
 * <li>the events with ids above the highest id sealed so far, and</li>
 * <li>the events that appeared in the <em>holes</em> of earlier runs: ids below that were not
 * committed yet (commit order is not id order: a request's transaction, or the batching writer
 * after a database outage, commits after higher ids were sealed).</li>
 * </ul>
 * It appends one seal per month to that month's chain, records the new holes with the snapshot's
 * xmax, and forgets a hole once the snapshot's xmin has passed its xmax: every transaction that
 * could have taken one of its ids (ids come from {@code audit_next_ids}, which takes the xid
 * first) has ended, so an id still missing then was rolled back and will never appear. Nothing
 * here touches a request: the requests' INSERTs neither wait for nor lock anything the sealer holds.
 */
@ApplicationScoped
public class AuditSealer {
    private static final Logger LOG = Logger.getLogger(AuditSealer.class);
    /** Each seal's hash, for an anchor outside the database (a log pipeline that keeps it). */
    private static final Logger SEALS = Logger.getLogger("org.acme.healthcare.audit.seal");
    static final long LOCK_KEY = 7_261_100_002L;
    static final int MAX_BATCH = 50_000;
    private static final int MAX_ROUNDS = 20;
    /**
     * {@link AuditChain#COLUMNS} in their order, every column but the id, the time and the MAC only for
     * an event without a MAC (the only one whose link is computed from them): PostgreSQL neither
     * renders nor sends them for the others.
     */
    static final String LINK_COLUMNS = linkColumns();

    private static String linkColumns() {
        String[] c = AuditChain.COLUMNS.split(",\\s*");
        StringBuilder sb = new StringBuilder(c[0]).append(", ").append(c[1]);
        for (int i = 2; i < c.length; i++) {
            sb.append(", ").append(c[i].equals("mac") ? "mac" : "case when mac is null then " + c[i] + " end");
        }
        return sb.toString();
    }

    private final AgroalDataSource dataSource;
    private final AuditKey key;
    private final Set<YearMonth> sealPartitions = ConcurrentHashMap.newKeySet();
    private final Counter sealed;
    private volatile Instant lastSeal;

    AuditSealer(AgroalDataSource dataSource, AuditKey key, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.key = key;
        this.sealed = Counter.builder("healthcare.audit.sealed.events").description("Audit events chained by this replica's sealer")
                .register(registry);
        registry.gauge("healthcare.audit.seal.age.seconds", this,
                s -> s.lastSeal == null ? Double.NaN : (System.currentTimeMillis() - s.lastSeal.toEpochMilli()) / 1000.0);
    }

    /** What one call did: whether it held the lock, how many events and seals it wrote. */
    public record Result(boolean ran, int events, int seals) {
    }

    @Scheduled(every = "${healthcare.audit.seal-interval}", delayed = "2s", concurrentExecution = ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            sealNow();
        } catch (SQLException e) {
            forgetPartitions();
            LOG.warnf("Audit sealing did not run (SQLState %s: %s); it will be retried", e.getSQLState(), e.getMessage());
        }
    }

    /** Seals until caught up (or {@value #MAX_ROUNDS} rounds of {@value #MAX_BATCH}); skips when another sealer runs. */
    public synchronized Result sealNow() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (!lock(c, "pg_try_advisory_lock")) {
                return new Result(false, 0, 0);
            }
            int events = 0;
            int seals = 0;
            try {
                for (int round = 0; round < MAX_ROUNDS; round++) {
                    int[] r = round(c);
                    events += r[0];
                    seals += r[1];
                    if (r[2] < MAX_BATCH) {
                        break;
                    }
                }
            } finally {
                c.setAutoCommit(true);
                lock(c, "pg_advisory_unlock");
            }
            if (events > 0) {
                lastSeal = Instant.now();
                sealed.increment(events);
            } else if (lastSeal == null) {
                lastSeal = Instant.now();
            }
            return new Result(true, events, seals);
        }
    }

    private static boolean lock(Connection c, String function) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select " + function + "(" + LOCK_KEY + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private record Hole(long id, List<long[]> ranges, long xmax) {
    }

    /**
     * What a seal needs of an event: its id, time and link (its stored MAC; for a pre-V14 event, or
     * one without a MAC, the digest computed from its columns as the verifier computes it). A round
     * keeps these, not the rows: a few dozen bytes an event instead of every column.
     */
    private record Link(long id, Instant occurredAt, byte[] digest) {
    }

    /**
     * The link of the event in {@code rs}'s current row ({@link AuditChain#COLUMNS}). An event the
     * service wrote carries its MAC, which is its link: the verifier recomputes that MAC from the
     * columns and refuses the event when it differs, before it looks at the chain, so chaining the
     * stored value is the same chain and costs no decoding, JSON canonicalisation or HMAC here.
     */
    private static Link link(Connection c, ResultSet rs, AuditChain chain, AuditChain.Row row, long legacyThrough)
            throws SQLException {
        long id = rs.getLong(1);
        byte[] mac = rs.getBytes(15);
        if (mac != null) {
            return new Link(id, rs.getObject(2, OffsetDateTime.class).toInstant(), mac);
        }
        AuditChain.read(rs, row);
        byte[] digest = new byte[32];
        if (row.recordCount != null) {
            // Not the service's writing (its large events carry a MAC): linked as the verifier hashes it.
            chain.digestWithParts(row, c, digest);
        } else {
            chain.digest(row, row.id <= legacyThrough, digest);
        }
        return new Link(id, row.occurredAt, digest);
    }

    /** One transaction: {events sealed, seals written, new events read}. */
    private int[] round(Connection c) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        AuditChain chain = key.chain();
        List<String> published = new ArrayList<>();
        try {
            long xmin;
            long xmax;
            long maxSealed;
            long legacyThrough;
            try (Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("select pg_snapshot_xmin(s)::text, pg_snapshot_xmax(s)::text"
                        + " from pg_current_snapshot() s")) {
                    rs.next();
                    xmin = Long.parseLong(rs.getString(1));
                    xmax = Long.parseLong(rs.getString(2));
                }
                try (ResultSet rs = st.executeQuery("select max_sealed, legacy_through from audit_seal_state")) {
                    rs.next();
                    maxSealed = rs.getLong(1);
                    legacyThrough = rs.getLong(2);
                }
            }
            List<Hole> holes = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select id, ids::text, xid_horizon::text from audit_seal_holes order by id")) {
                while (rs.next()) {
                    holes.add(new Hole(rs.getLong(1), AuditChain.parseRanges(rs.getString(2)), Long.parseLong(rs.getString(3))));
                }
            }
            List<Link> rows = new ArrayList<>();
            AuditChain.Row scratch = new AuditChain.Row();
            // Events that committed late into earlier holes.
            try (PreparedStatement ps = c.prepareStatement("select " + LINK_COLUMNS
                    + " from audit_events where id >= ? and id < ? order by id")) {
                for (Hole h : holes) {
                    List<Long> found = new ArrayList<>();
                    for (long[] r : h.ranges()) {
                        ps.setLong(1, r[0]);
                        ps.setLong(2, r[1]);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                Link row = link(c, rs, chain, scratch, legacyThrough);
                                rows.add(row);
                                found.add(row.id());
                            }
                        }
                    }
                    List<long[]> remaining = subtract(h.ranges(), found);
                    if (remaining.isEmpty() || h.xmax() <= xmin) {
                        // Every transaction that could hold these ids has ended: they never will commit.
                        exec(c, "delete from audit_seal_holes where id = ?", h.id());
                    } else if (!found.isEmpty()) {
                        try (PreparedStatement up = c.prepareStatement("update audit_seal_holes set ids = ?::int8multirange where id = ?")) {
                            up.setString(1, AuditChain.formatRanges(remaining));
                            up.setLong(2, h.id());
                            up.executeUpdate();
                        }
                    }
                }
            }
            // New events, ids ascending.
            int fresh = 0;
            long newMax = maxSealed;
            List<long[]> gaps = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + LINK_COLUMNS
                    + " from audit_events where id > ? order by id limit " + MAX_BATCH)) {
                ps.setLong(1, maxSealed);
                ps.setFetchSize(5_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Link row = link(c, rs, chain, scratch, legacyThrough);
                        if (row.id() > newMax + 1) {
                            gaps.add(new long[] { newMax + 1, row.id() });
                        }
                        newMax = row.id();
                        rows.add(row);
                        fresh++;
                    }
                }
            }
            if (!gaps.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("insert into audit_seal_holes (ids, xid_horizon) values (?::int8multirange, ?::text::xid8)")) {
                    ps.setString(1, AuditChain.formatRanges(gaps));
                    ps.setString(2, Long.toString(xmax));
                    ps.executeUpdate();
                }
            }
            // One seal per month, ids ascending within it.
            Map<YearMonth, List<Link>> byMonth = new TreeMap<>();
            for (Link r : rows) {
                byMonth.computeIfAbsent(YearMonth.from(r.occurredAt().atZone(ZoneOffset.UTC)), m -> new ArrayList<>()).add(r);
            }
            for (Map.Entry<YearMonth, List<Link>> e : byMonth.entrySet()) {
                YearMonth month = e.getKey();
                List<Link> events = e.getValue();
                events.sort(Comparator.comparingLong(Link::id));
                ensureSealPartition(c, month);
                long seq = 1;
                byte[] prev = chain.start(month);
                try (PreparedStatement ps = c.prepareStatement(
                        "select seq, hash from audit_seals where month = ? order by seq desc limit 1")) {
                    ps.setObject(1, month.atDay(1));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            seq = rs.getLong(1) + 1;
                            prev = rs.getBytes(2);
                        }
                    }
                }
                byte[] h = prev.clone();
                long[] ids = new long[events.size()];
                Instant first = events.get(0).occurredAt();
                Instant last = first;
                for (int i = 0; i < events.size(); i++) {
                    Link r = events.get(i);
                    ids[i] = r.id();
                    chain.next(h, r.digest(), h);
                    first = r.occurredAt().isBefore(first) ? r.occurredAt() : first;
                    last = r.occurredAt().isAfter(last) ? r.occurredAt() : last;
                }
                List<long[]> ranges = AuditChain.rangesOf(ids);
                byte[] mac = chain.sealMac(month, seq, ranges, events.size(), first, last, prev, h);
                try (PreparedStatement ps = c.prepareStatement("insert into audit_seals (month, seq, ids, events, first_at, last_at,"
                        + " prev_hash, hash, mac) values (?, ?, ?::int8multirange, ?, ?, ?, ?, ?, ?)")) {
                    ps.setObject(1, month.atDay(1));
                    ps.setLong(2, seq);
                    ps.setString(3, AuditChain.formatRanges(ranges));
                    ps.setInt(4, events.size());
                    ps.setObject(5, OffsetDateTime.ofInstant(first, ZoneOffset.UTC));
                    ps.setObject(6, OffsetDateTime.ofInstant(last, ZoneOffset.UTC));
                    ps.setBytes(7, prev);
                    ps.setBytes(8, h);
                    ps.setBytes(9, mac);
                    ps.executeUpdate();
                }
                published.add(String.format("month=%s seq=%d events=%d first=%d last=%d hash=%s", month, seq, events.size(),
                        ids[0], ids[ids.length - 1], HexFormat.of().formatHex(h)));
            }
            if (newMax > maxSealed) {
                exec(c, "update audit_seal_state set max_sealed = ?", newMax);
            }
            c.commit();
            for (String p : published) {
                SEALS.infof("Audit seal %s", p);
            }
            return new int[] { rows.size(), byMonth.size(), fresh };
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
    }

    /** A month's seals live in a partition of their own; an event of a month without one (an old month) gets it here. */
    private void ensureSealPartition(Connection c, YearMonth month) throws SQLException {
        if (sealPartitions.contains(month)) {
            return;
        }
        String name = AuditPartitions.sealName(month);
        try (Statement st = c.createStatement()) {
            boolean exists;
            try (ResultSet rs = st.executeQuery("select to_regclass('" + name + "') is not null")) {
                rs.next();
                exists = rs.getBoolean(1);
            }
            if (!exists) {
                try (ResultSet rs = st.executeQuery("select pg_try_advisory_xact_lock(" + AuditPartitions.LOCK_KEY + ")")) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        throw new SQLException("partition maintenance is running; sealing waits for the next round", "55P03");
                    }
                }
                st.execute(AuditPartitions.createSeals(month));
            }
        }
        sealPartitions.add(month);
    }

    /** Forgets what it knows about partitions (retention dropped some). */
    void forgetPartitions() {
        sealPartitions.clear();
    }

    private static void exec(Connection c, String sql, long value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, value);
            ps.executeUpdate();
        }
    }

    /** The ranges minus the ids found (ascending). */
    static List<long[]> subtract(List<long[]> ranges, List<Long> found) {
        List<long[]> out = new ArrayList<>();
        int i = 0;
        List<Long> sorted = new ArrayList<>(found);
        sorted.sort(null);
        for (long[] r : ranges) {
            long lo = r[0];
            while (i < sorted.size() && sorted.get(i) < r[1]) {
                long id = sorted.get(i++);
                if (id >= lo) {
                    if (id > lo) {
                        out.add(new long[] { lo, id });
                    }
                    lo = id + 1;
                }
            }
            if (lo < r[1]) {
                out.add(new long[] { lo, r[1] });
            }
        }
        return out;
    }
}
