package org.acme.healthcare.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.elytron.security.common.BcryptUtil;

/** Hashing beyond its queue is refused at once, not queued behind a flood. */
class PasswordHasherTest {
    @Test
    void hashesBeyondTheQueueAreRefusedAtOnce() throws Exception {
        // One thread, room for one login: the queue is MIN_QUEUE_PER_THREAD (what fits in the wait, at
        // least) + MIN_QUEUE_PER_THREAD (registrations); of one running + that many + 6 concurrent
        // checks, 6 are refused at once.
        PasswordHasher hasher = new PasswordHasher(12, 1, Duration.ofMillis(1), 1);
        assertEquals(2 * PasswordHasher.MIN_QUEUE_PER_THREAD, hasher.queueSize());
        String hash = BcryptUtil.bcryptHash("pw-for-the-test", 12);
        int callersCount = 1 + hasher.queueSize() + 6;
        ExecutorService callers = Executors.newFixedThreadPool(callersCount);
        try {
            List<Future<Long>> refusals = new ArrayList<>();
            for (int i = 0; i < callersCount; i++) {
                refusals.add(callers.submit(() -> {
                    long start = System.nanoTime();
                    try {
                        hasher.matches("pw-for-the-test", hash);
                        return -1L;
                    } catch (PasswordHasher.Saturated e) {
                        return System.nanoTime() - start;
                    }
                }));
            }
            // The 6 beyond the running one and the queued ones are refused at once (a queued one
            // may itself give up after its wait on a slow machine, but never at once).
            int refusedAtOnce = 0;
            for (Future<Long> f : refusals) {
                long nanos = f.get(60, TimeUnit.SECONDS);
                if (nanos >= 0 && nanos < TimeUnit.MILLISECONDS.toNanos(500)) {
                    refusedAtOnce++;
                }
            }
            assertEquals(6, refusedAtOnce);
        } finally {
            callers.shutdownNow();
            hasher.stop();
        }
    }

    /** Linux's niceness of a hashing thread: it yields to request threads (the field after the priority in /proc/thread-self/stat). */
    @Test
    void aHashingThreadRunsAtALowerPriority() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")) && Files.isExecutable(Path.of("/usr/bin/renice")),
                "Linux with renice");
        int[] nice = { Integer.MIN_VALUE, Integer.MIN_VALUE };
        Thread t = new Thread(() -> {
            nice[0] = niceOfThisThread();
            PasswordHasher.lowerPriority();
            nice[1] = niceOfThisThread();
        });
        t.start();
        t.join(10_000);
        assertEquals(0, nice[0], "a new thread's niceness");
        assertEquals(PasswordHasher.HASHING_NICENESS, nice[1]);
    }

    private static int niceOfThisThread() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every stored hash ($2a$, what the service has always stored) stays readable, and new ones are $2a$. Wrong passwords fail. */
    @Test
    void storedHashesAreReadAndNewOnesAreTheSameForm() {
        PasswordHasher hasher = new PasswordHasher(4, 1, Duration.ofSeconds(2), 1);
        try {
            String elytron = BcryptUtil.bcryptHash("pw-for-the-test", 4);
            assertTrue(elytron.startsWith("$2a$04$"), elytron);
            for (String form : List.of(elytron)) {
                assertTrue(hasher.matches("pw-for-the-test", form), form);
                assertFalse(hasher.matches("pw-for-the-tesT", form), form);
            }
            String fresh = hasher.hash("pw-for-the-test");
            assertTrue(fresh.startsWith("$2a$04$"), fresh);
            assertTrue(BcryptUtil.matches("pw-for-the-test", fresh));
            assertFalse(BcryptUtil.matches("pw-for-the-tesT", fresh));
        } finally {
            hasher.stop();
        }
    }

    @Test
    void theLoginCapacityIsAMorningsWorthAndNeverMoreThanAQuarterOfTheWorkers() {
        // 2 threads, 2 s at the nominal 250 ms of cost 10: 16; at least 24; at most 200 / 4.
        assertEquals(24, PasswordHasher.defaultLoginCapacity(2, Duration.ofSeconds(2), 10, 200));
        assertEquals(40, PasswordHasher.defaultLoginCapacity(2, Duration.ofSeconds(5), 10, 200));
        assertEquals(PasswordHasher.MIN_LOGIN_CAPACITY, PasswordHasher.defaultLoginCapacity(1, Duration.ofSeconds(2), 10, 200));
        assertEquals(PasswordHasher.MIN_LOGIN_CAPACITY, PasswordHasher.defaultLoginCapacity(2, Duration.ofSeconds(2), 12, 200));
        assertEquals(50, PasswordHasher.defaultLoginCapacity(8, Duration.ofSeconds(2), 10, 200));
        assertEquals(8, PasswordHasher.defaultLoginCapacity(2, Duration.ofSeconds(2), 10, 32));
        // Never fewer places than hashing threads, however few workers.
        assertEquals(4, PasswordHasher.defaultLoginCapacity(4, Duration.ofSeconds(2), 10, 8));
        // Cheaper hashes (tests' cost 4) fit more in the wait, still capped by the workers.
        assertEquals(50, PasswordHasher.defaultLoginCapacity(1, Duration.ofSeconds(2), 4, 200));
    }

    @Test
    void theQueueHoldsWhatTheThreadsGetThroughInTheWait() {
        assertEquals(2 * 26, PasswordHasher.queueCapacity(2, Duration.ofSeconds(2), Duration.ofMillis(75)));
        assertEquals(4 * PasswordHasher.MIN_QUEUE_PER_THREAD, PasswordHasher.queueCapacity(4, Duration.ofMillis(10), Duration.ofMillis(75)));
    }
}
