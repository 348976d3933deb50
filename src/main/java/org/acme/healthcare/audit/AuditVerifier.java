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
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * Recomputes the chain over a time window and names the first event that does not fit
 * (docs/history-and-audit.md, "Tamper evidence"). One REPEATABLE READ, read-only transaction on
 * a connection of its own, so the events, the seals and the sealer's position are one consistent
 * snapshot; rows are streamed (a cursor, {@value #FETCH} at a time), never loaded whole. Every
 * seal whose events overlap the window is checked whole (a chain is checked from a seal's start).
 */
@ApplicationScoped
public class AuditVerifier {
    static final int FETCH = 10_000;
    private static final Pattern MONTH = Pattern.compile("audit_(?:events|seals)_y(\\d{4})m(\\d{2})");
    private static final Executor DIRECT = Runnable::run;

    private final AgroalDataSource dataSource;
    private final AuditKey key;

    AuditVerifier(AgroalDataSource dataSource, AuditKey key) {
        this.dataSource = dataSource;
        this.key = key;
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

    private final class Run {
        final Connection c;
        final Instant from;
        final Instant to;
        final AuditChain chain = key.chain();
        long maxSealed;
        long legacyThrough;
        String holes;
        long events;
        long pending;

        Run(Connection c, Instant from, Instant to) {
            this.c = c;
            this.from = from;
            this.to = to;
        }

        boolean inWindow(Instant t) {
            return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
        }
    }

    public Result verify(Instant from, Instant to) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            int networkTimeout = c.getNetworkTimeout();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            // Bounded like the statement below (plus a minute), never 0: a database that stops answering
            // mid-stream must not hold this request and its connection forever.
            c.setNetworkTimeout(DIRECT, (int) java.util.concurrent.TimeUnit.MINUTES.toMillis(61));
            Run run = new Run(c, from, to);
            try (Statement st = c.createStatement()) {
                // A long trail takes longer than a request's statement timeout; it is read-only and holds no lock.
                st.execute("set local statement_timeout = '1h'");
                try (ResultSet rs = st.executeQuery("select max_sealed, legacy_through,"
                        + " (select coalesce(range_agg(r), '{}')::text from audit_seal_holes h, unnest(h.ids) r)"
                        + " from audit_seal_state")) {
                    rs.next();
                    run.maxSealed = rs.getLong(1);
                    run.legacyThrough = rs.getLong(2);
                    run.holes = rs.getString(3);
                }
                try {
                    for (YearMonth month : months(st, from, to)) {
                        month(run, month);
                    }
                    return new Result(true, run.events, from, to, null, run.pending, null);
                } catch (Broken b) {
                    return new Result(false, run.events, from, to, b.eventId, run.pending, b.problem);
                }
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setNetworkTimeout(DIRECT, networkTimeout);
            }
        }
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

    private void month(Run run, YearMonth month) throws SQLException, Broken {
        String events = AuditPartitions.name(month);
        boolean hasEvents = exists(run.c, events);
        boolean hasSeals = exists(run.c, AuditPartitions.sealName(month));
        long sealedInWindow = 0;
        if (hasSeals) {
            sealedInWindow = seals(run, month, hasEvents ? events : null);
        }
        if (!hasEvents) {
            return;
        }
        // Every event of the window is in a seal, or waits for the sealer (above its position, or in a hole).
        String window = "occurred_at >= coalesce(?, '-infinity'::timestamptz) and occurred_at < coalesce(?, 'infinity'::timestamptz)";
        String pendingIds = "(id > ? or id <@ ?::int8multirange)";
        long total;
        long pending;
        try (PreparedStatement ps = run.c.prepareStatement("select count(*), count(*) filter (where " + pendingIds + ") from "
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
        run.pending += pending;
        if (total == sealedInWindow + pending) {
            return;
        }
        String sealed = hasSeals ? "(select coalesce(range_agg(r), '{}') from " + AuditPartitions.sealName(month)
                + " s, unnest(s.ids) r)" : "'{}'::int8multirange";
        try (PreparedStatement ps = run.c.prepareStatement("select min(id) from " + events + " where " + window
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

    /** Checks the month's seals that overlap the window, in order; the number of their events in the window. */
    private long seals(Run run, YearMonth month, String events) throws SQLException, Broken {
        long inWindow = 0;
        Long lastSeq = null;
        byte[] expectedPrev = null;
        try (PreparedStatement ps = run.c.prepareStatement("select seq, ids::text, events, first_at, last_at, prev_hash, hash, mac"
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
                    if (lastSeq == null) {
                        expectedPrev = seq == 1 ? run.chain.start(month) : hashOf(run.c, month, seq - 1);
                        if (expectedPrev == null) {
                            throw new Broken(firstId, "seal " + month + "/" + (seq - 1) + " is missing");
                        }
                    } else if (seq != lastSeq + 1) {
                        throw new Broken(firstId, "seal " + month + "/" + (lastSeq + 1) + " is missing");
                    }
                    if (!AuditChain.equal(prev, expectedPrev)) {
                        throw new Broken(firstId, "seal " + month + "/" + seq + " does not follow its predecessor");
                    }
                    if (!AuditChain.equal(mac, run.chain.sealMac(month, seq, ranges, count, first, last, prev, hash))) {
                        throw new Broken(firstId, "seal " + month + "/" + seq + " was altered");
                    }
                    if (events == null) {
                        throw new Broken(firstId, "the events of " + month + " are gone but its seals are not");
                    }
                    byte[] h = prev;
                    int seen = 0;
                    try (PreparedStatement ev = run.c.prepareStatement("select " + AuditChain.COLUMNS + " from " + events
                            + " where id >= ? and id < ? order by id")) {
                        ev.setFetchSize(FETCH);
                        for (long[] r : ranges) {
                            ev.setLong(1, r[0]);
                            ev.setLong(2, r[1]);
                            long expected = r[0];
                            try (ResultSet er = ev.executeQuery()) {
                                while (er.next()) {
                                    AuditChain.Row row = AuditChain.read(er);
                                    if (row.id != expected) {
                                        throw new Broken(expected, "event " + expected + " was deleted");
                                    }
                                    boolean legacy = row.mac == null && row.id <= run.legacyThrough;
                                    byte[] d = run.chain.digest(row, legacy);
                                    if (!legacy && !AuditChain.equal(row.mac, d)) {
                                        throw new Broken(row.id, "event " + row.id + " was altered or not written by the service");
                                    }
                                    h = run.chain.next(h, d);
                                    seen++;
                                    if (run.inWindow(row.occurredAt)) {
                                        run.events++;
                                        inWindow++;
                                    }
                                    expected++;
                                }
                            }
                            if (expected != r[1]) {
                                throw new Broken(expected, "event " + expected + " was deleted");
                            }
                        }
                    }
                    if (seen != count || !AuditChain.equal(h, hash)) {
                        throw new Broken(firstId, "seal " + month + "/" + seq + " does not match its events");
                    }
                    lastSeq = seq;
                    expectedPrev = hash;
                }
            }
        }
        return inWindow;
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
