package org.acme.healthcare.common;

import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A request holds at most one pooled connection. With a pool of two, more concurrent reads than
 * the pool holds must all be served (waiting their turn); a route that takes a second connection
 * while holding one (a read outside a transaction, then a search in its own) deadlocks the pool
 * and answers 503 after the acquisition timeout. The organization audit did (issue 19's bench).
 */
@QuarkusTest
@TestProfile(OneConnectionPerRequestTest.PoolOfTwo.class)
class OneConnectionPerRequestTest {
    private static final int CONCURRENT = 8;

    public static class PoolOfTwo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.max-size", "2");
        }
    }

    @Test
    void everyReadRouteIsServedWithMoreConcurrentRequestsThanConnections() throws Exception {
        TestUser admin = newUser();
        long org = as(admin).body(Map.of("name", "Pool clinic")).post("/api/organizations").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        long patient = as(admin).body(Map.of("name", "Pooled", "organizationId", org)).post("/api/patients").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        TestUser platform = admin();
        Map<String, TestUser> routes = new java.util.LinkedHashMap<>();
        routes.put("/api/organizations/" + org + "/audit?recordType=patient&recordId=" + patient, admin);
        routes.put("/api/organizations/" + org, admin);
        routes.put("/api/organizations/" + org + "/members", admin);
        routes.put("/api/organizations/" + org + "/break-glass", admin);
        routes.put("/api/organizations", admin);
        routes.put("/api/patients", admin);
        routes.put("/api/patients?organizationId=" + org, admin);
        routes.put("/api/patients/" + patient, admin);
        routes.put("/api/patients/" + patient + "/history", admin);
        routes.put("/api/mappings", admin);
        routes.put("/api/mappings/" + patient, admin);
        routes.put("/fhir/Patient", admin);
        routes.put("/fhir/Patient/" + patient, admin);
        routes.put("/api/audit?recordType=patient&recordId=" + patient, platform);

        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
        try {
            List<String> failures = new ArrayList<>();
            for (var route : routes.entrySet()) {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < CONCURRENT; i++) {
                    answers.add(pool.submit(() -> as(route.getValue()).get(route.getKey()).statusCode()));
                }
                for (Future<Integer> f : answers) {
                    int status = f.get(60, TimeUnit.SECONDS);
                    if (status != 200) {
                        failures.add(route.getKey() + " -> " + status);
                    }
                }
            }
            assertEquals(List.of(), failures);
        } finally {
            pool.shutdownNow();
        }
    }
}
