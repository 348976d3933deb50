package org.acme.healthcare.patient;

import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.Orgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Membership changes raced against the requests they govern, many rounds each. Membership is read
 * on every request, so whatever starts after a change's answer sees it; and a write takes its
 * organization's row FOR KEY SHARE before deciding while a membership change takes it FOR UPDATE,
 * so no write decided under the old role commits after the change has answered.
 */
@QuarkusTest
class MembershipRevocationRaceTest {
    private static final int ROUNDS = 20;
    private static final int THREADS = 3;

    @Inject
    AgroalDataSource db;

    private ExecutorService pool;

    @BeforeEach
    void pool() {
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** A request's start and its status. */
    record Call(long startedAt, int status) {
    }

    /** Runs {@code request} on every thread in a loop until {@code stop}; what each call answered. */
    private List<Future<List<Call>>> loop(AtomicBoolean stop, java.util.function.IntSupplier request) {
        List<Future<List<Call>>> loops = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            loops.add(pool.submit(() -> {
                List<Call> calls = new ArrayList<>();
                while (!stop.get()) {
                    long start = System.nanoTime();
                    calls.add(new Call(start, request.getAsInt()));
                }
                return calls;
            }));
        }
        return loops;
    }

    private static List<Call> all(List<Future<List<Call>>> loops) throws Exception {
        List<Call> calls = new ArrayList<>();
        for (var f : loops) {
            calls.addAll(f.get());
        }
        return calls;
    }

    private static void pause() throws InterruptedException {
        Thread.sleep(ThreadLocalRandom.current().nextInt(5, 40));
    }

    @Test
    void noWriteOfADemotedClinicianLandsAfterTheDemotionIsAnswered() throws Exception {
        TestUser admin = newUser();
        TestUser clinician = newUser();
        long org = Orgs.create(db, "Demotion clinic", admin.id());
        Orgs.join(db, org, clinician.id(), "clinician");
        long patient = as(admin).body(Map.of("name", "Raced", "organizationId", org)).post("/api/patients").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        String member = "/api/organizations/" + org + "/members/" + clinician.id();
        for (int round = 0; round < ROUNDS; round++) {
            AtomicBoolean stop = new AtomicBoolean();
            var writes = loop(stop, () -> as(clinician).body(Map.of("age", ThreadLocalRandom.current().nextInt(150)))
                    .put("/api/patients/" + patient).statusCode());
            pause();
            as(admin).body(Map.of("role", "reader")).patch(member).then().statusCode(200);
            long answered = System.nanoTime();
            Object versionAtAnswer = Orgs.single(db, "select version from patients where id = ?", patient);
            Thread.sleep(30);
            stop.set(true);
            List<Call> calls = all(writes);
            Object versionAfter = Orgs.single(db, "select version from patients where id = ?", patient);
            assertEquals(versionAtAnswer, versionAfter, "round " + round + ": a write landed after the demotion was answered");
            for (Call c : calls) {
                if (c.startedAt() > answered) {
                    assertEquals(403, c.status(), "round " + round + ": a write started after the demotion");
                } else {
                    assertTrue(c.status() == 200 || c.status() == 403 || c.status() == 409, "round " + round + ": " + c.status());
                }
            }
            as(admin).body(Map.of("role", "clinician")).patch(member).then().statusCode(200);
        }
    }

    @Test
    void aRemovedMemberReadsNothingThatStartsAfterTheRemovalIsAnswered() throws Exception {
        TestUser admin = newUser();
        TestUser member = newUser();
        long org = Orgs.create(db, "Removal clinic", admin.id());
        long patient = as(admin).body(Map.of("name", "Watched", "organizationId", org)).post("/api/patients").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        for (int round = 0; round < ROUNDS; round++) {
            Orgs.join(db, org, member.id(), "reader");
            AtomicBoolean stop = new AtomicBoolean();
            var reads = loop(stop, () -> as(member).get("/api/patients/" + patient).statusCode());
            pause();
            as(admin).delete("/api/organizations/" + org + "/members/" + member.id()).then().statusCode(204);
            long answered = System.nanoTime();
            Thread.sleep(30);
            stop.set(true);
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            for (Call c : all(reads)) {
                if (c.startedAt() > answered && c.status() != 404) {
                    wrong.add("round " + round + ": " + c.status());
                }
            }
            assertEquals(List.of(), List.copyOf(wrong));
        }
    }

    @Test
    void restrictingARecordClosesItToOtherMembersAtOnce() throws Exception {
        TestUser admin = newUser();
        TestUser clinician = newUser();
        long org = Orgs.create(db, "Restrict clinic", admin.id());
        Orgs.join(db, org, clinician.id(), "clinician");
        long patient = as(admin).body(Map.of("name", "Closing", "organizationId", org)).post("/api/patients").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        for (int round = 0; round < ROUNDS; round++) {
            AtomicBoolean stop = new AtomicBoolean();
            var reads = loop(stop, () -> as(clinician).get("/api/patients/" + patient).statusCode());
            pause();
            as(admin).body(Map.of("restricted", true)).put("/api/patients/" + patient).then().statusCode(200);
            long answered = System.nanoTime();
            Thread.sleep(30);
            stop.set(true);
            for (Call c : all(reads)) {
                if (c.startedAt() > answered) {
                    assertEquals(403, c.status(), "round " + round + ": a read started after the record was restricted");
                }
            }
            as(admin).body(Map.of("restricted", false)).put("/api/patients/" + patient).then().statusCode(200);
        }
    }
}
