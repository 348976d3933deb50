package org.acme.healthcare.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.acme.healthcare.support.OrgRows;
import org.acme.healthcare.support.Tamper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The parallel verify (docs/history-and-audit.md, "Verifying") gives the sequential answer: two
 * months of their own, three seals each, the first seal large and the later ones small, so that a
 * verify that reported whichever failure it found first would name a later event. Every check runs
 * with one thread (the request's, sequential) and with several, and the two results must be equal.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditVerifyParallelTest {
    private static final int THREADS = 4;

    @Inject
    AuditVerifier verifier;
    @Inject
    AuditSealer sealer;
    @Inject
    AuditKey key;
    @Inject
    AgroalDataSource db;

    /** Four years and two months ago, and the month after: no other test's months, inside retention. */
    private final YearMonth a = YearMonth.now(ZoneOffset.UTC).minusYears(4).minusMonths(2);
    private final YearMonth b = a.plusMonths(1);
    private final Instant from = start(a);
    private final Instant to = start(b.plusMonths(1));
    private long written;

    private static Instant start(YearMonth m) {
        return m.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    @BeforeAll
    void twoMonthsOfThreeSealsEach() throws Exception {
        for (YearMonth m : List.of(a, b)) {
            OrgRows.update(db, "create table if not exists " + AuditPartitions.name(m) + " partition of audit_events for values from ('"
                    + start(m) + "') to ('" + start(m.plusMonths(1)) + "')");
        }
        // Seal 1 of month a is the large one; everything after it is small and checked long before it.
        int[][] rounds = { { 3_000, 20 }, { 30, 30 }, { 10, 10 } };
        for (int round = 0; round < rounds.length; round++) {
            write(a, rounds[round][0], start(a).plus(round + 1, ChronoUnit.DAYS));
            write(b, rounds[round][1], start(b).plus(round + 1, ChronoUnit.DAYS));
            sealUntilRan();
            written += rounds[round][0] + rounds[round][1];
        }
        for (YearMonth m : List.of(a, b)) {
            assertEquals(3L, ((Number) OrgRows.single(db, "select count(*) from audit_seals where month = ?", m.atDay(1))).longValue(),
                    "three seals in " + m);
        }
    }

    @AfterAll
    void dropTheMonths() throws SQLException {
        for (YearMonth m : List.of(a, b)) {
            asSuperuser("drop table if exists " + AuditPartitions.name(m), "drop table if exists " + AuditPartitions.sealName(m));
        }
    }

    /** Valid events, as the service writes them (ids from audit_next_ids, each with its MAC), some with a detail and list ids. */
    private void write(YearMonth month, int n, Instant base) throws SQLException {
        AuditChain chain = key.chain();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select audit_next_ids(?)")) {
                ps.setInt(1, n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("insert into audit_events (id, occurred_at, actor_id, action, record_type,"
                    + " record_id, record_ids, outcome, request_id, client_request_id, client_address, organization_id, detail, via, mac)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?)")) {
                for (int i = 0; i < n; i++) {
                    AuditChain.Row r = new AuditChain.Row();
                    r.id = ids.get(i);
                    r.occurredAt = base.plusMillis(i * 1_001L).plusNanos(123_000);
                    r.actorId = i % 9 == 0 ? null : 1L;
                    r.action = i % 5 == 0 ? "list" : "read";
                    r.recordType = "patient";
                    r.recordId = i % 5 == 0 ? null : 900_000L + i;
                    r.recordIds = i % 5 == 0 ? new Long[] { 1L, 2L, 900_000L + i } : null;
                    r.outcome = "success";
                    r.requestId = "parallel-" + r.id;
                    r.clientRequestId = i % 7 == 0 ? "clé-" + i : null; // not ASCII: the encoder's UTF-8 path
                    r.clientAddress = "127.0.0.1";
                    r.organizationId = i % 3 == 0 ? 77L : null;
                    if (i % 4 == 0) {
                        Map<String, Object> detail = new LinkedHashMap<>();
                        detail.put("reason", "emergency \"ünïcode\" " + i);
                        detail.put("breakGlass", true);
                        detail.put("n", i);
                        r.detail = AuditChain.canonicalJson(detail);
                    }
                    r.via = "rest";
                    r.mac = chain.mac(r);
                    ps.setLong(1, r.id);
                    ps.setObject(2, OffsetDateTime.ofInstant(r.occurredAt, ZoneOffset.UTC));
                    ps.setObject(3, r.actorId, java.sql.Types.BIGINT);
                    ps.setString(4, r.action);
                    ps.setString(5, r.recordType);
                    ps.setObject(6, r.recordId, java.sql.Types.BIGINT);
                    ps.setArray(7, r.recordIds == null ? null : c.createArrayOf("bigint", r.recordIds));
                    ps.setString(8, r.outcome);
                    ps.setString(9, r.requestId);
                    ps.setString(10, r.clientRequestId);
                    ps.setString(11, r.clientAddress);
                    ps.setObject(12, r.organizationId, java.sql.Types.BIGINT);
                    ps.setString(13, r.detail);
                    ps.setString(14, r.via);
                    ps.setBytes(15, r.mac);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }

    private void sealUntilRan() throws Exception {
        for (int i = 0; i < 50; i++) {
            if (sealer.sealNow().ran()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the sealer never ran");
    }

    private void asSuperuser(String... statements) throws SQLException {
        Tamper.asSuperuser(db, statements);
    }

    /** [first id, last id] of a seal. */
    private long[] idsOf(YearMonth month, int seq) {
        List<long[]> ranges = AuditChain.parseRanges((String) OrgRows.single(db,
                "select ids::text from audit_seals where month = ? and seq = ?", month.atDay(1), (long) seq));
        return new long[] { ranges.get(0)[0], ranges.get(ranges.size() - 1)[1] - 1 };
    }

    /** Sequential and parallel, equal in every field; the parallel one returned. */
    private AuditVerifier.Result both() throws SQLException {
        AuditVerifier.Result one = verifier.verify(from, to, 1, () -> false);
        AuditVerifier.Result many = verifier.verify(from, to, THREADS, () -> false);
        assertEquals(one, many, "one thread and " + THREADS + " give the same answer");
        assertNoVerifyThreadLeft();
        return many;
    }

    private static void assertNoVerifyThreadLeft() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().startsWith("audit-verify-") && t.isAlive(), "a verify thread outlived its verify: " + t);
        }
    }

    @Test
    void untouchedBothMonthsVerifyWithEveryEventCounted() throws SQLException {
        AuditVerifier.Result r = both();
        assertTrue(r.verified(), r.toString());
        assertEquals(written, r.events(), r.toString());
        assertEquals(0, r.pending());
        assertNull(r.firstBrokenEventId());
    }

    @Test
    void theEarliestBrokenEventWinsOverLaterOnesFoundFirst() throws Exception {
        long early = idsOf(a, 1)[1]; // the last event of the large first seal: reached last
        long late = idsOf(b, 3)[0];
        String prevOfB2 = (String) OrgRows.single(db, "select encode(prev_hash, 'hex') from audit_seals where month = ? and seq = 2",
                b.atDay(1));
        asSuperuser("update audit_events set outcome = 'denied' where id in (" + early + ", " + late + ")",
                // and a later seal that fails the coordinator's own check (its link), found before any event is hashed
                "update audit_seals set prev_hash = decode(repeat('00', 32), 'hex') where month = '" + b.atDay(1) + "' and seq = 2");
        try {
            AuditVerifier.Result r = both();
            assertFalse(r.verified());
            assertEquals(early, r.firstBrokenEventId(), r.toString());

            // With the early one put back, the next in order is the seal whose link is broken (before seal 3's event).
            asSuperuser("update audit_events set outcome = 'success' where id = " + early);
            r = both();
            assertFalse(r.verified());
            assertEquals(idsOf(b, 2)[0], r.firstBrokenEventId(), r.toString());
            assertTrue(r.problem().contains("does not follow"), r.problem());
        } finally {
            asSuperuser("update audit_events set outcome = 'success' where id in (" + early + ", " + late + ")",
                    "update audit_seals set prev_hash = decode('" + prevOfB2 + "', 'hex') where month = '" + b.atDay(1) + "' and seq = 2");
        }
        assertTrue(both().verified(), "put back: verified again");
    }

    @Test
    void aDeletedEventIsNamedByItsId() throws Exception {
        long[] seal = idsOf(b, 2);
        long deleted = seal[0] + 3;
        long lateTamper = idsOf(b, 3)[0];
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("set session_replication_role = replica");
            try {
                st.execute("create temp table kept_parallel as select * from audit_events where id = " + deleted
                        + " and occurred_at >= '" + start(b) + "'");
                st.execute("delete from audit_events where id = " + deleted + " and occurred_at >= '" + start(b) + "'");
                st.execute("update audit_events set outcome = 'denied' where id = " + lateTamper);
                AuditVerifier.Result r = both();
                assertFalse(r.verified());
                assertEquals(deleted, r.firstBrokenEventId(), r.toString());
                assertTrue(r.problem().contains("deleted"), r.problem());
            } finally {
                st.execute("insert into audit_events select * from kept_parallel");
                st.execute("drop table kept_parallel");
                st.execute("update audit_events set outcome = 'success' where id = " + lateTamper);
                st.execute("set session_replication_role = origin");
            }
        }
        assertTrue(both().verified(), "restored: verified again");
    }

    /** A month's "every event is in a seal" check comes after its seals and before the next month's. */
    @Test
    void anEventInsertedByHandInAnEarlyMonthWinsOverAChangedOneInALaterMonth() throws Exception {
        long late = idsOf(b, 1)[0];
        long maxSealed = ((Number) OrgRows.single(db, "select max_sealed from audit_seal_state")).longValue();
        // An id the sealer has passed and will never look at again: one of month b's, slipped into month a
        // (ids are unique per partition), so it is in no seal of month a.
        long forged = late + 1;
        assertTrue(forged < maxSealed);
        OrgRows.update(db, "insert into audit_events (id, occurred_at, action, record_type, record_id, outcome)"
                + " values (?, ?, 'read', 'patient', 1, 'success')", forged, OffsetDateTime.ofInstant(start(a).plusSeconds(60),
                        ZoneOffset.UTC));
        asSuperuser("update audit_events set outcome = 'denied' where id = " + late);
        try {
            AuditVerifier.Result r = both();
            assertFalse(r.verified());
            assertEquals(forged, r.firstBrokenEventId(), r.toString());
            assertTrue(r.problem().contains("in no seal"), r.problem());
        } finally {
            asSuperuser("update audit_events set outcome = 'success' where id = " + late,
                    "delete from " + AuditPartitions.name(a) + " where id = " + forged);
        }
        assertTrue(both().verified());
    }

    /**
     * With every connection of the pool but one held elsewhere, a verify asked for several threads
     * neither deadlocks nor fails: the request's thread does all the work on its one connection,
     * and afterwards that connection is back in the pool and no verify thread is left.
     */
    @Test
    void aNearlyExhaustedPoolStillVerifiesAndGetsItsConnectionBack() throws Exception {
        AuditVerifier.Result expected = verifier.verify(from, to, 1, () -> false);
        List<Connection> held = new ArrayList<>();
        try {
            while (true) {
                try {
                    held.add(db.getConnection());
                } catch (SQLException exhausted) {
                    break;
                }
            }
            assertTrue(held.size() > 1, "held " + held.size());
            held.remove(held.size() - 1).close(); // one free: the verify's own
            long t0 = System.nanoTime();
            AuditVerifier.Result r = verifier.verify(from, to, THREADS, () -> false);
            assertEquals(expected, r);
            assertTrue(r.verified(), r.toString());
            assertTrue(System.nanoTime() - t0 < java.util.concurrent.TimeUnit.SECONDS.toNanos(60), "bounded");
            assertNoVerifyThreadLeft();
            held.add(db.getConnection()); // the verify's connection came back (else: the acquisition timeout, an exception)
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    /** A client that goes away stops the verify: an error, not a result, and no thread left behind. */
    @Test
    void anAbandonedVerifyStopsAndLeavesNoThread() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                () -> verifier.verify(from, to, THREADS, () -> asked.incrementAndGet() > 2));
        assertEquals("57014", e.getSQLState());
        assertNoVerifyThreadLeft();
    }

    @Test
    void workersAreBoundedAndATinyPoolGetsNoExtraConnection() {
        assertEquals(1, AuditVerifier.workers(-3, 1));
        assertEquals(2, AuditVerifier.workers(0, 2));
        assertEquals(AuditVerifier.MAX_WORKERS, AuditVerifier.workers(0, 512));
        assertEquals(3, AuditVerifier.workers(3, 64));
        assertEquals(0, AuditVerifier.extraConnections(1, 32), "one thread: the request's connection only");
        assertEquals(1, AuditVerifier.extraConnections(2, 32));
        assertEquals(0, AuditVerifier.extraConnections(4, 2), "a pool of 2: no extra connection");
        assertEquals(1, AuditVerifier.extraConnections(4, 5), "at most a quarter of the pool");
        assertEquals(8, AuditVerifier.extraConnections(16, 32));
    }
}
