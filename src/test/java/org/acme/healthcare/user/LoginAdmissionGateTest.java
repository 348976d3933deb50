package org.acme.healthcare.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.acme.healthcare.user.LoginAdmission.Gate;
import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

/**
 * The login admission counter: refused beyond its capacity, and every place given back exactly
 * once, whatever happens to the request (answered, failed, timed out, its client gone: each is
 * one more {@code release()} of its permit, possibly from two threads at once).
 */
class LoginAdmissionGateTest {
    @Test
    void aGateOfNoPlacesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Gate(0));
    }

    @Test
    void beyondTheCapacityEntryIsRefusedAtOnce() {
        Gate gate = new Gate(2);
        Gate.Permit a = gate.tryEnter();
        Gate.Permit b = gate.tryEnter();
        assertNotNull(a);
        assertNotNull(b);
        assertNull(gate.tryEnter(), "a third login while two are in flight");
        a.release();
        assertNotNull(gate.tryEnter(), "a place given back is taken again");
    }

    @Test
    void aPermitReleasedTwiceGivesItsPlaceBackOnce() {
        Gate gate = new Gate(2);
        Gate.Permit a = gate.tryEnter();
        gate.tryEnter();
        a.release();
        a.release(); // the answer ended and the connection closed: two end signals for one login
        assertEquals(1, gate.inFlight());
        assertNotNull(gate.tryEnter());
        assertNull(gate.tryEnter(), "a second release must not make room for a third login");
    }

    /**
     * Many rounds of threads entering and leaving at once, each permit released from two threads
     * together (the response's end and its connection's close) and sometimes more often: the count
     * never goes above the capacity or below zero while they race, and ends at zero. A counter that
     * decremented on every release, or checked and incremented in two steps, fails this.
     */
    @Test
    void racingEntriesAndDoubleReleasesNeverLeakOrOverrunAPlace() throws Exception {
        int capacity = 4;
        int threads = 12;
        Gate gate = new Gate(capacity);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        AtomicBoolean racing = new AtomicBoolean(true);
        AtomicInteger lowest = new AtomicInteger();
        AtomicInteger highest = new AtomicInteger();
        try {
            // A watcher samples the count the whole time.
            Future<?> watcher = pool.submit(() -> {
                while (racing.get()) {
                    int n = gate.inFlight();
                    lowest.accumulateAndGet(n, Math::min);
                    highest.accumulateAndGet(n, Math::max);
                }
            });
            for (int round = 0; round < 300; round++) {
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Integer>> entered = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    entered.add(pool.submit(() -> {
                        start.await();
                        Gate.Permit p = gate.tryEnter();
                        if (p == null) {
                            return 0;
                        }
                        int inside = gate.inFlight();
                        Thread.onSpinWait();
                        // The end handler and the close handler may both fire, on different threads.
                        Thread other = new Thread(p::release);
                        other.start();
                        p.release();
                        if (ThreadLocalRandom.current().nextBoolean()) {
                            p.release();
                        }
                        other.join();
                        return inside;
                    }));
                }
                int admitted = 0;
                for (Future<Integer> f : entered) {
                    int inside = f.get(30, TimeUnit.SECONDS);
                    assertTrue(inside <= capacity, "seen inside: " + inside);
                    admitted += inside > 0 ? 1 : 0;
                }
                assertTrue(admitted >= 1, "round " + round + ": nobody got in");
                assertEquals(0, gate.inFlight(), "round " + round + ": a place leaked");
            }
            racing.set(false);
            watcher.get(30, TimeUnit.SECONDS);
        } finally {
            racing.set(false);
            pool.shutdownNow();
        }
        assertEquals(0, lowest.get(), "the count went negative");
        assertTrue(highest.get() <= capacity, "the count went above the capacity: " + highest.get());
        assertTrue(highest.get() > 1, "the race never had two logins inside at once");
    }

    @Test
    void theEmailOfARefusedLoginIsReadOnlyFromAnObjectsEmailString() {
        assertNull(LoginAdmission.emailOf(null));
        assertNull(LoginAdmission.emailOf(Buffer.buffer("")));
        assertNull(LoginAdmission.emailOf(Buffer.buffer("not json")));
        assertNull(LoginAdmission.emailOf(Buffer.buffer("[\"a@example.com\"]")));
        assertNull(LoginAdmission.emailOf(Buffer.buffer("{\"email\":42}")));
        assertNull(LoginAdmission.emailOf(Buffer.buffer("{\"email\":\"   \"}")));
        assertNull(LoginAdmission.emailOf(Buffer.buffer("{\"email\":\"" + "a".repeat(250) + "@example.com\"}")));
        assertNull(LoginAdmission.emailOf(Buffer.buffer("{\"nested\":{\"email\":\"a@example.com\"}}")));
        assertNull(LoginAdmission.emailOf(Buffer.buffer("{\"password\":\"x\"," + " ".repeat(LoginAdmission.MAX_SCANNED_BODY)
                + "\"email\":\"a@example.com\"}")), "a body over the scanned size is not read");
        assertEquals("grace@example.com", LoginAdmission.emailOf(Buffer.buffer(
                "{\"password\":\"pw\",\"nested\":{\"email\":\"x@example.com\"},\"email\":\"  Grace@Example.COM \"}")));
    }
}
