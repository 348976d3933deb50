package org.acme.healthcare.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The service's request ids: random version 4 UUIDs, distinct across refills of the per-thread buffer and across threads. */
class RequestIdNewIdTest {

    @Test
    void idsAreDistinctVersion4UuidsAcrossRefillsAndThreads() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] work = new Future<?>[4];
            for (int t = 0; t < work.length; t++) {
                work[t] = pool.submit(() -> {
                    for (int i = 0; i < 1_000; i++) { // about four refills per thread
                        String id = RequestId.newId();
                        UUID uuid = UUID.fromString(id);
                        assertEquals(4, uuid.version(), id);
                        assertEquals(2, uuid.variant(), id);
                        assertEquals(uuid.toString(), id);
                        assertTrue(seen.add(id), "a repeated id: " + id);
                    }
                });
            }
            for (Future<?> f : work) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(4_000, seen.size());
    }
}
