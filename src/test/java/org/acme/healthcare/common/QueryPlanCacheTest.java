package org.acme.healthcare.common;

import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.Api.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManagerFactory;

import org.acme.healthcare.support.Api.TestUser;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Repeating the same requests must not keep adding query plans: a native query whose plan is
 * never found again is put into Hibernate's shared plan cache on every call, and on a busy box
 * every worker thread then queues on that cache's lock (issue 19's bench: 41 to 58 of 66 workers
 * inside its put during a list at 64 connections).
 */
@QuarkusTest
class QueryPlanCacheTest {
    @Inject
    EntityManagerFactory emf;

    private int cachedPlans() {
        return emf.unwrap(SessionFactoryImplementor.class).getQueryEngine().getInterpretationCache()
                .getNumberOfCachedQueryPlans();
    }

    @Test
    void repeatingTheSameRequestsAddsNoQueryPlans() {
        TestUser owner = newUser();
        TestUser platform = admin();
        long patient = createPatient(owner, "Planned");
        Map<String, TestUser> requests = new LinkedHashMap<>();
        for (String path : List.of("/api/patients/" + patient, "/api/patients", "/api/patients?q=plan",
                "/api/patients/" + patient + "/history", "/api/patients/" + patient + "/access-report",
                "/api/mappings/" + patient, "/api/mappings", "/fhir/Patient/" + patient, "/fhir/Patient?name=plan",
                "/api/auth/me")) {
            requests.put(path, owner);
        }
        requests.put("/api/audit?recordType=patient&recordId=" + patient, platform);
        requests.put("/api/patients?scope=all&size=5", platform);
        requests.forEach((path, user) -> as(user).get(path).then().statusCode(200)); // whatever is cached once is cached now
        List<String> growing = new ArrayList<>();
        requests.forEach((path, user) -> {
            int before = cachedPlans();
            for (int i = 0; i < 10; i++) {
                as(user).get(path).then().statusCode(200);
            }
            int added = cachedPlans() - before;
            if (added > 0) {
                growing.add(path + " +" + added);
            }
        });
        assertEquals(List.of(), growing, "requests that add a query plan on every call");
    }
}
