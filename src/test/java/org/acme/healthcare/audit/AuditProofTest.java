package org.acme.healthcare.audit;

import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.acme.healthcare.audit.Audit.Action;
import org.acme.healthcare.audit.Audit.Outcome;
import org.acme.healthcare.audit.Audit.RecordType;
import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.OrgRows;
import org.acme.healthcare.support.Tamper;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Contract, "Audit you can prove": verify finds an event changed, deleted or inserted by hand
 * and passes again once it is put back; the service's own role cannot change or delete events;
 * the sealer chains events that commit late. Tampering is done as the database superuser with
 * {@code session_replication_role = replica} (what a DBA could do: triggers do not fire).
 */
@QuarkusTest
class AuditProofTest {
    @Inject
    AuditLog audit;
    @Inject
    AuditSealer sealer;
    @Inject
    AgroalDataSource db;

    /** Everything written so far is sealed; returns an instant after it, to start a window of one's own. */
    private Instant sealedSoFar() throws Exception {
        assertTrue(audit.flush(10_000));
        sealUntilRan();
        Thread.sleep(5);
        return Instant.now();
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

    private JsonPath verify(Instant from) {
        return verify(from, Instant.now().plusSeconds(60));
    }

    /**
     * The admin logs in once: every login is itself an audit event, so a fresh login per call put a
     * new, not yet sealed event into the window before each check (the polling below never saw
     * {@code pending} reach 0 when the calls came faster than the 1 s seal interval).
     */
    private JsonPath verify(Instant from, Instant to) {
        if (platformAdmin == null) {
            platformAdmin = admin();
        }
        return as(platformAdmin).queryParam("from", from.toString()).queryParam("to", to.toString())
                .get("/api/audit/verify").then().statusCode(200).extract().jsonPath();
    }

    private org.acme.healthcare.support.Api.TestUser platformAdmin;

    private void asSuperuser(String... statements) throws SQLException {
        Tamper.asSuperuser(db, statements);
    }

    private long readEventOf(long patientId) {
        return ((Number) OrgRows.single(db, "select max(id) from audit_events where record_type = 'patient' and record_id = ?"
                + " and action = 'read'", patientId)).longValue();
    }

    @Test
    void verifyNeedsAPlatformAdminAndSaneBounds() {
        assertProblem(io.restassured.RestAssured.given().get("/api/audit/verify").then(), 401);
        TestUser user = newUser();
        assertProblem(as(user).get("/api/audit/verify").then(), 403);
        assertProblem(as(admin()).queryParam("from", "yesterday").get("/api/audit/verify").then(), 400);
        assertProblem(as(admin()).queryParam("to", "2026-13-01T00:00:00Z").get("/api/audit/verify").then(), 400);
        assertProblem(as(admin()).queryParam("from", "2026-12-02T00:00:00Z").queryParam("to", "2026-12-01T00:00:00Z")
                .get("/api/audit/verify").then(), 400);
    }

    @Test
    void aChangedEventIsFoundAndPassesOncePutBack() throws Exception {
        Instant from = sealedSoFar();
        TestUser owner = newUser();
        long patient = createPatient(owner, "Tamper Target");
        as(owner).get("/api/patients/" + patient).then().statusCode(200);
        as(owner).get("/api/patients").then().statusCode(200);
        sealedSoFar();
        JsonPath ok = verify(from);
        assertTrue(ok.getBoolean("verified"), ok.prettify());
        assertTrue(ok.getLong("events") >= 3, ok.prettify());
        // The admin's own login (audited, not sealed yet) may be pending; pending events are not failures.
        assertNull(ok.get("firstBrokenEventId"));
        assertEquals(from.toString(), ok.getString("from"));

        long read = readEventOf(patient);
        asSuperuser("update audit_events set outcome = 'denied' where id = " + read);
        JsonPath broken = verify(from);
        assertFalse(broken.getBoolean("verified"), broken.prettify());
        assertEquals(read, broken.getLong("firstBrokenEventId"));

        asSuperuser("update audit_events set outcome = 'success' where id = " + read);
        assertTrue(verify(from).getBoolean("verified"), "put back: verified again");

        // A changed MAC is as bad as a changed value.
        asSuperuser("update audit_events set mac = decode(repeat('00', 32), 'hex') where id = " + read);
        assertEquals(read, verify(from).getLong("firstBrokenEventId"));
    }

    @Test
    void aDeletedEventIsFoundByItsIdAndPassesOnceRestored() throws Exception {
        Instant from = sealedSoFar();
        TestUser owner = newUser();
        long patient = createPatient(owner, "Delete Target");
        as(owner).get("/api/patients/" + patient).then().statusCode(200);
        as(owner).get("/api/patients/" + patient).then().statusCode(200);
        sealedSoFar();
        assertTrue(verify(from).getBoolean("verified"));
        long read = readEventOf(patient);
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            // A pooled connection: the temp table dropped and the role reset whatever happens (a
            // connection left in replica mode fires no trigger, foreign keys' cascades included).
            st.execute("set session_replication_role = replica");
            try {
                st.execute("create temp table kept as select * from audit_events where id = " + read);
                st.execute("delete from audit_events where id = " + read);
                JsonPath broken = verify(from);
                assertFalse(broken.getBoolean("verified"), broken.prettify());
                assertEquals(read, broken.getLong("firstBrokenEventId"), broken.prettify());
                st.execute("insert into audit_events select * from kept");
            } finally {
                st.execute("drop table if exists kept");
                st.execute("set session_replication_role = origin");
            }
        }
        assertTrue(verify(from).getBoolean("verified"), "restored: verified again");
    }

    @Test
    void eventsInsertedByHandAreFound() throws Exception {
        // In a month of their own (three years ago), so the rest of the test database stays verifiable.
        YearMonth month = YearMonth.now(ZoneOffset.UTC).minusYears(3);
        String events = AuditPartitions.name(month);
        Instant start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        OrgRows.update(db, "create table if not exists " + events + " partition of audit_events for values from ('" + start
                + "') to ('" + end + "')");
        try {
            // A forged event: a plain INSERT (allowed), without the key's MAC. The sealer chains it; verify refuses it.
            long forged = (Long) OrgRows.single(db, "insert into audit_events (occurred_at, action, record_type, record_id, outcome, via)"
                    + " values (?, 'read', 'patient', 1, 'success', 'rest') returning id", java.time.OffsetDateTime.ofInstant(
                            start.plusSeconds(3600), ZoneOffset.UTC));
            sealUntilRan();
            JsonPath found = as(admin()).queryParam("from", start.toString()).queryParam("to", end.toString())
                    .get("/api/audit/verify").then().statusCode(200).extract().jsonPath();
            assertFalse(found.getBoolean("verified"), found.prettify());
            assertEquals(forged, found.getLong("firstBrokenEventId"));

            // An event slipped in below what the sealer has passed (an id it will never look at again): in no seal.
            asSuperuser("drop table " + events, "drop table if exists " + AuditPartitions.sealName(month),
                    "create table " + events + " partition of audit_events for values from ('" + start + "') to ('" + end + "')");
            OrgRows.update(db, "insert into audit_events (id, occurred_at, action, record_type, record_id, outcome)"
                    + " values (1, ?, 'read', 'patient', 1, 'success')", java.time.OffsetDateTime.ofInstant(start.plusSeconds(60),
                            ZoneOffset.UTC));
            sealUntilRan();
            JsonPath unsealed = as(admin()).queryParam("from", start.toString()).queryParam("to", end.toString())
                    .get("/api/audit/verify").then().statusCode(200).extract().jsonPath();
            assertFalse(unsealed.getBoolean("verified"), unsealed.prettify());
            assertEquals(1, unsealed.getLong("firstBrokenEventId"));
        } finally {
            asSuperuser("drop table if exists " + events, "drop table if exists " + AuditPartitions.sealName(month));
        }
    }

    @Test
    void theServicesOwnRoleCannotChangeOrDeleteEvents() throws Exception {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Immutable");
        assertTrue(audit.flush(10_000));
        long id = ((Number) OrgRows.single(db, "select max(id) from audit_events where record_id = ?", patient)).longValue();
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            SQLException update = assertThrows(SQLException.class,
                    () -> st.executeUpdate("update audit_events set outcome = 'denied' where id = " + id));
            assertEquals("42501", update.getSQLState());
            SQLException delete = assertThrows(SQLException.class, () -> st.executeUpdate("delete from audit_events where id = " + id));
            assertEquals("42501", delete.getSQLState());
            assertThrows(SQLException.class, () -> st.executeUpdate("delete from audit_seals"));
            assertThrows(SQLException.class, () -> st.executeUpdate("truncate audit_events"));
        }
        assertEquals(1L, ((Number) OrgRows.single(db, "select count(*) from audit_events where id = ?", id)).longValue());
    }

    /**
     * Events written from several threads while the sealer runs, one of them in a transaction that
     * takes its id early and commits after higher ids were sealed, and one rolled back: verify
     * stays true, the late event is chained, and nothing stays pending beyond a few intervals.
     */
    @Test
    void theSealerChainsEventsThatCommitLate() throws Exception {
        Instant from = sealedSoFar();
        CountDownLatch idTaken = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?> late = pool.submit(() -> inRequest(() -> QuarkusTransaction.requiringNew().run(() -> {
                audit.inTransaction(Action.UPDATE, RecordType.PATIENT, 1L, List.of(990_001L), null);
                idTaken.countDown();
                try {
                    assertTrue(release.await(20, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            })));
            assertTrue(idTaken.await(10, TimeUnit.SECONDS));
            long lateId = ((Number) OrgRows.single(db, "select last_value from audit_events_id_seq")).longValue();
            // A rolled-back event: its id is a hole for good.
            pool.submit(() -> inRequest(() -> {
                try {
                    QuarkusTransaction.requiringNew().run(() -> {
                        audit.inTransaction(Action.UPDATE, RecordType.PATIENT, 1L, List.of(990_002L), null);
                        throw new IllegalStateException("roll back");
                    });
                } catch (IllegalStateException expected) {
                    // rolled back
                }
            })).get();
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                writers.add(pool.submit(() -> inRequest(() -> {
                    for (int i = 0; i < 300; i++) {
                        audit.accessed(Action.READ, RecordType.PATIENT, 990_100L + i, Outcome.SUCCESS);
                        if (i % 50 == 0) {
                            QuarkusTransaction.requiringNew().run(
                                    () -> audit.inTransaction(Action.UPDATE, RecordType.PATIENT, 1L, List.of(990_003L), null));
                        }
                    }
                })));
            }
            for (int i = 0; i < 10; i++) {
                sealer.sealNow();
                Thread.sleep(50);
            }
            for (Future<?> w : writers) {
                w.get(30, TimeUnit.SECONDS);
            }
            assertTrue(audit.flush(10_000));
            sealUntilRan();
            long maxSealed = ((Number) OrgRows.single(db, "select max_sealed from audit_seal_state")).longValue();
            assertTrue(maxSealed > lateId, "higher ids were sealed while the late one was open: " + maxSealed + " > " + lateId);
            JsonPath whileOpen = verify(from);
            assertTrue(whileOpen.getBoolean("verified"), whileOpen.prettify());

            release.countDown();
            late.get(30, TimeUnit.SECONDS);
            // The scheduled sealer alone (interval 1 s in tests) must chain everything; the bound is
            // generous because a shared 2-core machine can delay a scheduled run by seconds.
            long deadline = System.currentTimeMillis() + 30_000;
            // The window ends now: what the checks themselves cause later is not this test's to wait for.
            assertTrue(audit.flush(10_000));
            Instant to = Instant.now();
            JsonPath after = verify(from, to);
            while (after.getLong("pending") > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
                after = verify(from, to);
            }
            assertTrue(after.getBoolean("verified"), after.prettify());
            assertEquals(0, after.getLong("pending"), "nothing left unsealed: " + after.prettify());
            assertTrue(after.getLong("events") >= 600 + 12 + 1, after.prettify());
            assertEquals(1L, ((Number) OrgRows.single(db, "select count(*) from audit_seals s where s.month = ? and ?::bigint <@ s.ids",
                    YearMonth.now(ZoneOffset.UTC).atDay(1), lateId)).longValue(), "the late event is in exactly one seal");
            // Holes below the late id are forgotten once no transaction can fill them.
            sealUntilRan();
            sealUntilRan();
            assertEquals(0L, ((Number) OrgRows.single(db, "select count(*) from audit_seal_holes h, unnest(h.ids) r"
                    + " where lower(r) <= ?", lateId)).longValue());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private static void inRequest(Runnable r) {
        var ctx = Arc.container().requestContext();
        ctx.activate();
        try {
            r.run();
        } finally {
            ctx.terminate();
        }
    }
}
