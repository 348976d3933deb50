package org.acme.healthcare.doctor;

import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.createDoctor;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The doctor directory's memory (doctor/DoctorDirectory) never answers a doctor as it was before a
 * change that has been answered: not when a read that began before the change commits its old
 * answer to memory after the change was forgotten, not while many readers race the writer.
 * A cache that only invalidates on change (no generation) fails the first test in its first round.
 */
@QuarkusTest
class DoctorDirectoryRaceTest {
    private static final int ROUNDS = 200;

    @Inject
    DoctorDirectory directory;

    private static DoctorResponse doctor(long id, String name, long version) {
        return new DoctorResponse(id, name, "Cardiology", null, null, null, null, Instant.EPOCH, Instant.EPOCH, version, null);
    }

    @Test
    void aReadThatBeganBeforeAChangeNeverServesItsOldAnswerAfterTheChange() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                long id = 8_000_000L + round;
                AtomicReference<DoctorResponse> database = new AtomicReference<>(doctor(id, "old", 0));
                CountDownLatch reading = new CountDownLatch(1);
                CountDownLatch proceed = new CountDownLatch(1);
                // A slow read: it has read the old row and has not yet remembered it.
                Future<Optional<DoctorResponse>> slow = pool.submit(() -> directory.get(id, k -> {
                    DoctorResponse seen = database.get();
                    reading.countDown();
                    await(proceed);
                    return Optional.of(seen);
                }));
                assertTrue(reading.await(10, TimeUnit.SECONDS));
                // The change commits and is forgotten (no transaction here: at once), then the slow read remembers.
                database.set(doctor(id, "new", 1));
                directory.forgetAfterCompletion();
                proceed.countDown();
                assertEquals("old", slow.get(10, TimeUnit.SECONDS).orElseThrow().name(), "the slow read answers what it read");
                for (int i = 0; i < 3; i++) {
                    DoctorResponse now = directory.get(id, k -> Optional.of(database.get())).orElseThrow();
                    assertEquals("new", now.name(), "round " + round + ": the old doctor came back after the change");
                    assertEquals(1, now.version());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readersRacingAWriterSeeEveryAnsweredChangeAtOnce() throws Exception {
        long id = 9_000_000L;
        AtomicReference<DoctorResponse> database = new AtomicReference<>(doctor(id, "v0", 0));
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                readers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        directory.get(id, k -> {
                            DoctorResponse seen = database.get();
                            Thread.yield(); // widen the window between the read and remembering it
                            return Optional.of(seen);
                        });
                    }
                }));
            }
            for (int v = 1; v <= 2_000; v++) {
                database.set(doctor(id, "v" + v, v));
                directory.forgetAfterCompletion();
                // Answered: every read from now on sees v or later.
                DoctorResponse now = directory.get(id, k -> Optional.of(database.get())).orElseThrow();
                assertTrue(now.version() >= v, "change " + v + " answered, then version " + now.version() + " was served");
            }
            stop.set(true);
            for (Future<?> f : readers) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void throughTheApiEveryReadAfterAnAnsweredChangeShowsIt() throws Exception {
        TestUser creator = newUser();
        TestUser reader = newUser();
        long id = createDoctor(creator, "Dr. Race 0", "Cardiology");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 1; round <= 30; round++) {
                AtomicBoolean stop = new AtomicBoolean();
                List<Future<?>> readers = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    readers.add(pool.submit(() -> {
                        while (!stop.get()) {
                            int status = as(reader).get("/api/doctors/" + id).statusCode();
                            assertTrue(Set.of(200).contains(status), "status " + status);
                        }
                    }));
                }
                Thread.sleep(5);
                as(creator).body(Map.of("name", "Dr. Race " + round)).put("/api/doctors/" + id).then().statusCode(200);
                for (int i = 0; i < 3; i++) {
                    var read = as(reader).get("/api/doctors/" + id).then().statusCode(200).extract();
                    assertEquals("Dr. Race " + round, read.jsonPath().getString("name"), "round " + round + ": a read after the change missed it");
                    assertEquals("\"" + round + "\"", read.header("ETag"));
                }
                stop.set(true);
                for (Future<?> f : readers) {
                    f.get(30, TimeUnit.SECONDS);
                }
            }
            // A deleted doctor is gone at once, too.
            as(admin()).delete("/api/doctors/" + id).then().statusCode(204);
            as(reader).get("/api/doctors/" + id).then().statusCode(404);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
