package org.acme.healthcare.client;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.SmartClients;
import org.acme.healthcare.support.SmartClients.Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * "Revoked means revoked": a client is revoked while its token reads in a tight loop on several
 * threads, many rounds over. Every request that starts after the revocation has been answered is
 * refused (401), whatever the cache held a moment before: the cached liveness is forgotten after
 * the revocation commits, and an answer read before the commit is never cached as current. A naive
 * cache (forget before commit, or no generation) lets a read started after the answer through.
 */
@QuarkusTest
class ClientRevocationRaceTest {
    private static final int ROUNDS = 20;
    private static final int THREADS = 3;

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

    private List<Future<List<Call>>> loop(AtomicBoolean stop, IntSupplier request) {
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

    @Test
    void noRequestStartedAfterTheRevocationIsAnsweredSucceeds() throws Exception {
        TestUser admin = newUser();
        long org = as(admin).body(Map.of("name", "Revocation clinic")).post("/api/organizations").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        long patient = as(admin).body(Map.of("name", "Raced", "organizationId", org, "restricted", true)).post("/api/patients")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        int before = 0;
        int after = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Client client = SmartClients.register(admin, org, "system/*.rs");
            String token = SmartClients.token(client, "system/Patient.rs");
            AtomicBoolean stop = new AtomicBoolean();
            var reads = loop(stop, () -> given().header("Authorization", "Bearer " + token)
                    .get(ThreadLocalRandom.current().nextBoolean() ? "/fhir/Patient/" + patient : "/fhir/Patient").statusCode());
            Thread.sleep(ThreadLocalRandom.current().nextInt(5, 40));
            as(admin).delete("/api/organizations/" + org + "/clients/" + client.clientId()).then().statusCode(204);
            long answered = System.nanoTime();
            Thread.sleep(30);
            stop.set(true);
            List<String> wrong = new ArrayList<>();
            for (var f : reads) {
                for (Call c : f.get()) {
                    if (c.startedAt() > answered) {
                        after++;
                        if (c.status() != 401) {
                            wrong.add("round " + round + ": " + c.status());
                        }
                    } else {
                        before++;
                        assertTrue(c.status() == 200 || c.status() == 401 || c.status() == 404, "round " + round + ": " + c.status());
                    }
                }
            }
            assertEquals(List.of(), wrong, "requests started after the revocation was answered");
            // Nor can it get a new token.
            SmartClients.tokenRequest(SmartClients.assertion(client.clientId()), "system/*.rs").then().statusCode(401);
        }
        assertTrue(before > ROUNDS && after > ROUNDS, "the race ran: " + before + " calls before, " + after + " after");
    }
}
