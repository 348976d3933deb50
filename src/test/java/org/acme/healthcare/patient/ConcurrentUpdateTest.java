package org.acme.healthcare.patient;

import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Twenty concurrent PUTs on one patient: no lost update, no 500. */
@QuarkusTest
class ConcurrentUpdateTest {

    record Attempt(int status, String phone, String body) {
    }

    @Test
    void concurrentUpdatesNeverSilentlyOverwriteEachOther() throws Exception {
        TestUser owner = newUser();
        long id = createPatient(owner, "Contended");
        int writers = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Attempt>> futures = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String phone = "writer-" + i;
            futures.add(pool.submit(() -> {
                start.await();
                Response r = as(owner).body(Map.of("phone", phone)).put("/api/patients/" + id);
                return new Attempt(r.statusCode(), phone, r.asString());
            }));
        }
        start.countDown();
        List<Attempt> attempts = new ArrayList<>();
        for (Future<Attempt> f : futures) {
            attempts.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();

        for (Attempt a : attempts) {
            assertTrue(Set.of(200, 409, 412).contains(a.status()), "unexpected " + a.status() + ": " + a.body());
        }
        List<String> winners = attempts.stream().filter(a -> a.status() == 200).map(Attempt::phone).toList();
        assertTrue(!winners.isEmpty(), "at least one write succeeds");
        var finalRow = as(owner).get("/api/patients/" + id).then().statusCode(200).extract().jsonPath();
        assertTrue(winners.contains(finalRow.getString("phone")), "the row holds one of the successful writes");
        assertEquals(winners.size(), finalRow.getInt("version"), "version rose once per successful write");
    }
}
