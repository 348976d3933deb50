package org.acme.healthcare.export;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.export.ExportSupport.kickOff;
import static org.acme.healthcare.export.ExportSupport.manifest;
import static org.acme.healthcare.export.ExportSupport.patients;
import static org.acme.healthcare.export.ExportSupport.resources;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.OrgRows;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The export job's state changes raced: a worker that dies holding a job (another one finishes it,
 * nothing twice), a cancel racing the worker (after the cancel has answered, no file of the job is
 * ever served and the job never completes), and two clean-ups racing each other (each expired job
 * deleted once).
 */
@QuarkusTest
class ExportJobRaceTest {
    private static final String DEAD = "dead-replica";

    @Inject
    AgroalDataSource db;

    @Inject
    ExportWorker worker;

    private String status(long job) {
        Object s = OrgRows.single(db, "select status from export_jobs where id = ?", job);
        return s == null ? null : s.toString();
    }

    /** A kicked-off patient export and its status URL. */
    record Claimed(long job, String status) {
    }

    /**
     * Kicks off a patient export that the dead replica takes before this replica's worker does
     * (running, leased to {@link #DEAD} for an hour); a job the live worker took first is cancelled
     * and another kicked off.
     */
    private Claimed claimedByDeadReplica(TestUser owner) {
        for (int attempt = 0; attempt < 20; attempt++) {
            String status = kickOff(owner, "/fhir/Patient/$export?_type=Patient");
            long candidate = ExportSupport.job(status);
            try (var c = db.getConnection(); var ps = c.prepareStatement("update export_jobs set status = 'running',"
                    + " lease_owner = ?, lease_expires_at = now() + interval '1 hour', attempts = attempts + 1"
                    + " where id = ? and status = 'pending'")) {
                ps.setString(1, DEAD);
                ps.setObject(2, candidate);
                if (ps.executeUpdate() == 1) {
                    return new Claimed(candidate, status);
                }
                given().header("Authorization", "Bearer " + owner.token()).delete(status).then().statusCode(202);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the live worker always took the job first");
    }

    @Test
    void aJobWhoseWorkerDiedIsFinishedByAnotherWithoutDuplicates() {
        TestUser owner = newUser();
        List<Long> ids = patients(db, owner, 180);
        Claimed claimed = claimedByDeadReplica(owner);
        long job = claimed.job();
        String status = claimed.status();
        // It writes two pages (100 of the 180 patients), then dies: no more pages, no heartbeat.
        assertEquals(ExportWorker.Step.MORE, worker.page(job, DEAD));
        assertEquals(ExportWorker.Step.MORE, worker.page(job, DEAD));
        // While its lease holds, nobody else touches the job.
        ExportTest.sleep(800);
        assertEquals(DEAD, OrgRows.single(db, "select lease_owner from export_jobs where id = ?", job));
        assertEquals(2L, ((Number) OrgRows.single(db, "select count(*) from export_chunks where job_id = ?", job)).longValue());
        // The lease runs out: this replica's worker takes the job over and finishes it from the cursor.
        OrgRows.update(db, "update export_jobs set lease_expires_at = now() - interval '1 second' where id = ?", job);
        JsonPath manifest = manifest(owner, status);
        assertEquals(2, ((Number) OrgRows.single(db, "select attempts from export_jobs where id = ?", job)).intValue());
        // The dead one coming back finds the job no longer its own and writes nothing.
        assertEquals(ExportWorker.Step.LOST, worker.page(job, DEAD));
        List<String> exported = resources(owner, manifest, "Patient", false).stream().map(p -> p.getString("id")).toList();
        assertEquals(ids.stream().map(String::valueOf).toList(), exported, "each patient exactly once, in order");
    }

    @Test
    void aWorkerThatDiedBeforeItsCompletionLeavesItToAnotherOnce() {
        TestUser owner = newUser();
        List<Long> ids = patients(db, owner, 30);
        Claimed claimed = claimedByDeadReplica(owner);
        long job = claimed.job();
        String status = claimed.status();
        // Every page written, then it dies before its completion (the step with its own, longer bounds).
        ExportWorker.Step step = ExportWorker.Step.MORE;
        for (int i = 0; i < 10 && step == ExportWorker.Step.MORE; i++) {
            step = worker.page(job, DEAD);
        }
        assertEquals(ExportWorker.Step.COMPLETING, step);
        assertEquals("running", status(job));
        // Another worker takes it over after the lease and completes it: one audit event, every patient.
        OrgRows.update(db, "update export_jobs set lease_expires_at = now() - interval '1 second' where id = ?", job);
        JsonPath manifest = manifest(owner, status);
        ExportSupport.ExportAudit event = ExportSupport.audit(db, job);
        assertEquals(ids, event.held());
        // The dead one coming back completes nothing.
        assertEquals(ExportWorker.Step.LOST, worker.completion(job, DEAD));
        assertEquals(1L, ((Number) OrgRows.single(db, "select count(*) from audit_events where detail ->> 'export' = ?",
                String.valueOf(job))).longValue());
        List<String> exported = resources(owner, manifest, "Patient", false).stream().map(p -> p.getString("id")).toList();
        assertEquals(ids.stream().map(String::valueOf).toList(), exported);
    }

    @Test
    void aCancelRacingTheWorkerAlwaysWins() throws Exception {
        TestUser owner = newUser();
        patients(db, owner, 400); // eight pages of patients and of conditions: the cancel lands anywhere in it
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int cancelledMidRun = 0;
        try {
            for (int round = 0; round < 25; round++) {
                String status = kickOff(owner, "/fhir/Patient/$export");
                long job = ExportSupport.job(status);
                ExportTest.sleep(ThreadLocalRandom.current().nextInt(0, 400));
                // A reader polls the status while the cancel goes in.
                Future<Integer> poll = pool.submit(() -> given().header("Authorization", "Bearer " + owner.token())
                        .get(status).statusCode());
                int cancel = given().header("Authorization", "Bearer " + owner.token()).delete(status).statusCode();
                int polled = poll.get();
                assertTrue(polled == 200 || polled == 202 || polled == 404, "poll: " + polled);
                if (cancel == 404) {
                    // Only possible if something else removed it first; it never is here.
                    throw new AssertionError("cancel of a live job: 404");
                }
                assertEquals(202, cancel);
                // From the cancel's answer on: the status and every file are 404, the job never completes.
                for (int i = 0; i < 5; i++) {
                    assertEquals(404, given().header("Authorization", "Bearer " + owner.token()).get(status).statusCode());
                    for (int part = 0; part < 8; part++) {
                        assertEquals(404, given().header("Authorization", "Bearer " + owner.token())
                                .accept("application/fhir+ndjson").get("/fhir/bulkfiles/" + job + "/" + part).statusCode());
                    }
                    String now = status(job);
                    assertTrue(now == null || now.equals("cancelled"), "after the cancel the job is " + now);
                    ExportTest.sleep(60);
                }
                // Completion and its audit event commit together: none means the cancel came first.
                long events = ((Number) OrgRows.single(db, "select count(*) from audit_events where detail ->> 'export' = ?",
                        String.valueOf(job))).longValue();
                assertTrue(events <= 1);
                if (events == 0) {
                    cancelledMidRun++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(cancelledMidRun >= 5, "the cancels landed mid-run only " + cancelledMidRun + " times of 25");
    }

    @Test
    void twoCleanUpsDeleteEachExpiredJobOnce() throws Exception {
        TestUser owner = newUser();
        patients(db, owner, 3);
        List<Long> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String status = kickOff(owner, "/fhir/Patient/$export");
            manifest(owner, status);
            jobs.add(ExportSupport.job(status));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (long job : jobs) {
                OrgRows.update(db, "update export_jobs set expires_at = now() - interval '1 second' where id = ?", job);
            }
            Future<Integer> a = pool.submit(worker::cleanUp);
            Future<Integer> b = pool.submit(worker::cleanUp);
            int deleted = a.get() + b.get();
            // The scheduled clean-up may have taken some of them too; none is deleted twice, none is left.
            assertTrue(deleted <= jobs.size(), "deleted " + deleted);
            for (long job : jobs) {
                assertEquals(null, status(job));
                assertEquals(0L, ((Number) OrgRows.single(db, "select count(*) from export_chunks where job_id = ?", job))
                        .longValue());
            }
        } finally {
            pool.shutdownNow();
        }
        assertNotEquals(0, jobs.size());
    }
}
