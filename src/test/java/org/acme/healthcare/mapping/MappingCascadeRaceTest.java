package org.acme.healthcare.mapping;

import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.createDoctor;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A patient is deleted while mappings to it are being created: every mapping that was created
 * (201) is gone afterwards and its removal is audited as a delete. None slips in between the
 * delete's cascade and its commit to be removed, unaudited, by the foreign key.
 */
@QuarkusTest
class MappingCascadeRaceTest {
    private static final int ROUNDS = 15;
    private static final int CREATORS = 6;

    @Inject
    AuditLog audit;

    @Test
    void mappingsCreatedWhileTheirPatientIsDeletedAreAllRemovedAndAudited() throws Exception {
        TestUser owner = newUser();
        List<Long> doctors = new ArrayList<>();
        for (int i = 0; i < CREATORS; i++) {
            doctors.add(createDoctor(owner, "Dr. Race " + i, "Cascade"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(CREATORS);
        List<Long> created = new ArrayList<>();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                long patient = createPatient(owner, "Cascade race " + round);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Response>> creates = new ArrayList<>();
                for (long doctor : doctors) {
                    creates.add(pool.submit(() -> {
                        go.await();
                        return as(owner).body(Map.of("patientId", patient, "doctorId", doctor)).post("/api/mappings");
                    }));
                }
                go.countDown();
                Thread.sleep(ThreadLocalRandom.current().nextInt(0, 15));
                as(owner).delete("/api/patients/" + patient).then().statusCode(204);
                for (Future<Response> f : creates) {
                    Response r = f.get(30, TimeUnit.SECONDS);
                    assertTrue(Set.of(201, 404).contains(r.statusCode()), "round " + round + ": " + r.statusCode() + " " + r.asString());
                    if (r.statusCode() == 201) {
                        created.add(r.jsonPath().getLong("id"));
                    }
                }
                as(owner).get("/api/mappings/patient/" + patient).then().statusCode(404);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(!created.isEmpty(), "no mapping was created: the race never ran");
        assertTrue(audit.flush(10_000));
        TestUser root = admin();
        for (long mapping : created) {
            List<String> actions = as(root).queryParam("recordType", "mapping").queryParam("recordId", mapping)
                    .get("/api/audit").then().statusCode(200).extract().jsonPath().getList("action");
            assertEquals(List.of("delete", "create"), actions, "mapping " + mapping + " was removed without its audit event");
        }
    }
}
