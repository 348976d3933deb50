package org.acme.healthcare.organization;

import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Membership changes raced against each other and against the requests they revoke, many rounds
 * each. Each test says which naive implementation it catches.
 */
@QuarkusTest
class OrganizationRaceTest {
    private static final int ROUNDS = 25;

    @Inject
    AgroalDataSource dataSource;

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    /**
     * Two admins take each other's (or their own) admin role away at once. Without the
     * organization row lock before the admin count, both requests count two admins, both pass the
     * last-admin check, and the organization is left without an admin. With it, the second runs
     * after the first has committed: it sees one admin left (409), or that its caller is no longer
     * an admin (403) or a member (404).
     */
    @Test
    void twoAdminsRemovingEachOtherAtOnceLeaveAnAdmin() throws Exception {
        TestUser a = newUser();
        TestUser b = newUser();
        int conflicts = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long org = Orgs.create(a, "Race " + round);
            Orgs.join(a, org, b, "admin");
            String o = "/api/organizations/" + org;
            int scenario = round % 4;
            List<Response> answers = race(
                    () -> switch (scenario) {
                        case 0 -> as(a).body(Map.of("role", "reader")).patch(o + "/members/" + b.id()); // demote each other
                        case 1 -> as(a).delete(o + "/members/" + b.id()); // remove each other
                        case 2 -> as(a).delete(o + "/members/" + a.id()); // both leave
                        default -> as(a).body(Map.of("role", "clinician")).patch(o + "/members/" + a.id()); // both step down
                    },
                    () -> switch (scenario) {
                        case 0 -> as(b).body(Map.of("role", "reader")).patch(o + "/members/" + a.id());
                        case 1 -> as(b).delete(o + "/members/" + a.id());
                        case 2 -> as(b).delete(o + "/members/" + b.id());
                        default -> as(b).body(Map.of("role", "clinician")).patch(o + "/members/" + b.id());
                    });
            List<Integer> statuses = answers.stream().map(Response::statusCode).sorted().toList();
            String what = "round " + round + " scenario " + scenario + ": " + statuses;
            assertEquals(1, statuses.stream().filter(s -> s < 300).count(), what);
            // Leaving or stepping down: the caller is still an admin when it runs second, so only the count refuses it.
            Set<Integer> refusals = scenario >= 2 ? Set.of(409) : Set.of(403, 404, 409);
            assertTrue(refusals.contains(statuses.get(1)), what);
            conflicts += statuses.contains(409) ? 1 : 0;
            assertEquals(1, count("select count(*) from memberships where organization_id = " + org + " and role = 'admin'"), what);
        }
        assertTrue(conflicts >= ROUNDS / 2, "the last-admin check answered " + conflicts + " times");
    }

    /**
     * Several users accept one code at once. Without the invitation row lock (read, check
     * accepted_at, then write), each reads it unused and each joins: one code, several members.
     */
    @Test
    void oneCodeAcceptedByManyAtOnceAdmitsExactlyOne() throws Exception {
        TestUser owner = newUser();
        List<TestUser> users = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            users.add(newUser());
        }
        for (int round = 0; round < ROUNDS; round++) {
            long org = Orgs.create(owner, "Accept race " + round);
            String code = Orgs.invite(owner, org, "reader");
            List<Callable<Response>> accepts = users.stream()
                    .<Callable<Response>> map(u -> () -> as(u).body(Map.of("code", code)).post("/api/invitations/accept")).toList();
            List<Integer> statuses = race(accepts).stream().map(Response::statusCode).sorted().toList();
            assertEquals(200, statuses.get(0), "round " + round + ": " + statuses);
            assertEquals(List.of(404), statuses.subList(1, statuses.size()).stream().distinct().toList(), "round " + round + ": " + statuses);
            assertEquals(2, count("select count(*) from memberships where organization_id = " + org), "round " + round);
        }
    }

    /**
     * A member reads the organization and its members in a loop while an admin removes them. A
     * membership cached per replica (or checked before the removal's commit and reused) lets a
     * request that starts after the removal was answered still through; every such request must
     * be 404.
     */
    @Test
    void aRemovedMemberIsRefusedFromTheRemovalsAnswerOn() throws Exception {
        TestUser owner = newUser();
        TestUser member = newUser();
        int afterAnswer = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long org = Orgs.create(owner, "Removal race " + round);
            Orgs.join(owner, org, member, "clinician");
            String o = "/api/organizations/" + org;
            record Read(long startedAt, int status) {
            }
            ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Future<?>> readers = new ArrayList<>();
            for (String path : List.of(o, o + "/members")) {
                readers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        long started = System.nanoTime();
                        reads.add(new Read(started, as(member).get(path).statusCode()));
                    }
                    return null;
                }));
            }
            Thread.sleep(20 + round % 5 * 5);
            as(owner).delete(o + "/members/" + member.id()).then().statusCode(204);
            long answered = System.nanoTime();
            Thread.sleep(60);
            stop.set(true);
            for (Future<?> f : readers) {
                f.get(30, TimeUnit.SECONDS);
            }
            for (Read r : reads) {
                assertTrue(Set.of(200, 404).contains(r.status()), "round " + round + ": " + r.status());
                if (r.startedAt() > answered) {
                    afterAnswer++;
                    assertEquals(404, r.status(), "round " + round + ": a read that started after the removal's answer");
                }
            }
            assertTrue(reads.stream().anyMatch(r -> r.status() == 200), "round " + round + ": no read before the removal");
        }
        assertTrue(afterAnswer >= ROUNDS, "reads after the answer: " + afterAnswer);
    }

    @SafeVarargs
    private List<Response> race(Callable<Response>... calls) throws Exception {
        return race(List.of(calls));
    }

    private List<Response> race(List<Callable<Response>> calls) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> futures = new ArrayList<>();
        for (Callable<Response> c : calls) {
            futures.add(pool.submit(() -> {
                go.await();
                return c.call();
            }));
        }
        go.countDown();
        List<Response> answers = new ArrayList<>();
        for (Future<Response> f : futures) {
            answers.add(f.get(30, TimeUnit.SECONDS));
        }
        return answers;
    }

    private long count(String query) throws Exception {
        try (var c = dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
