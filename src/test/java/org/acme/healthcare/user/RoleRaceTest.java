package org.acme.healthcare.user;

import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.Api.withToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A demotion answered to an admin holds for every request that starts after the answer, on the
 * replica that answered, however many requests of the demoted admin were in flight while it
 * committed (they must not put the old role back into the account cache).
 */
@QuarkusTest
class RoleRaceTest {
    private static final int ROUNDS = 30;
    private static final int CALLERS = 3;

    @Test
    void aDemotedAdminLosesAdminRoutesAtOnceWhileTheirRequestsRace() throws Exception {
        TestUser root = admin();
        TestUser target = newUser();
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                setRole(root, target, "admin");
                withToken(target.token()).get("/api/users").then().statusCode(200);
                AtomicBoolean stop = new AtomicBoolean();
                List<Future<?>> callers = new ArrayList<>();
                for (int i = 0; i < CALLERS; i++) {
                    callers.add(pool.submit(() -> {
                        while (!stop.get()) {
                            int status = withToken(target.token()).get("/api/users").statusCode();
                            assertTrue(Set.of(200, 403).contains(status), "status " + status);
                        }
                    }));
                }
                Thread.sleep(5);
                setRole(root, target, "user");
                // Answered: from now on every request of the demoted admin is refused, even while
                // the requests that were in flight are still finishing.
                for (int i = 0; i < 5; i++) {
                    assertEquals(403, withToken(target.token()).get("/api/users").statusCode(),
                            "round " + round + ": the demoted admin still reached an admin route");
                    assertEquals(403, withToken(target.token()).body(Map.of("role", "admin"))
                            .patch("/api/users/" + target.id()).statusCode(), "round " + round + ": the demoted admin re-promoted themself");
                }
                stop.set(true);
                for (Future<?> f : callers) {
                    f.get(30, TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void setRole(TestUser root, TestUser target, String role) {
        as(root).body(Map.of("role", role)).patch("/api/users/" + target.id()).then().statusCode(200);
    }
}
