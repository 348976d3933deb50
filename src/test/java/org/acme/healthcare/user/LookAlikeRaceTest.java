package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.ProblemMappers;
import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Two registrations of look-alike emails at the same moment: at most one account, the other gets
 * the 409 of a taken email, never a 500. The check before the insert cannot see a row another
 * transaction has not committed; the unique index on {@code users.email_skeleton} (V10) can.
 */
@QuarkusTest
class LookAlikeRaceTest {
    static final int ROUNDS = 20;

    record Attempt(int status, String body) {
    }

    @Test
    void twoLookAlikesRegisteredAtOnceNeverBothGetAnAccount() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String local = "alice-race-" + UUID.randomUUID().toString().substring(0, 8);
                List<String> emails = List.of(local + "@example.org", "\u0430" + local.substring(1) + "@example.org");
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Attempt>> futures = new ArrayList<>();
                for (String email : emails) {
                    futures.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        Response r = given().contentType(ContentType.JSON)
                                .body(Map.of("name", "Race", "email", email, "password", PASSWORD)).post("/api/auth/register");
                        return new Attempt(r.statusCode(), r.asString());
                    }));
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Attempt> f : futures) {
                    Attempt a = f.get(60, TimeUnit.SECONDS);
                    statuses.add(a.status());
                    if (a.status() != 201) {
                        assertEquals(409, a.status(), "round " + round + ": " + a.body());
                    }
                }
                assertEquals(List.of(201, 409), statuses.stream().sorted().toList(), "round " + round);
                // And the loser's answer is a clean problem document, as a sequential duplicate's is.
                assertProblem(given().contentType(ContentType.JSON)
                        .body(Map.of("name", "Race", "email", emails.get(1), "password", PASSWORD))
                        .post("/api/auth/register").then(), 409);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The backstop alone: an insert that skipped the look-up is refused by the index, as the same 409. */
    @Test
    void theDatabaseRefusesALookAlikeTheLookUpDidNotSee() {
        String local = "alice-db-" + UUID.randomUUID().toString().substring(0, 8);
        QuarkusTransaction.requiringNew().run(() -> newUser(local + "@example.org").persistAndFlush());
        RuntimeException refused = assertThrows(RuntimeException.class, () -> QuarkusTransaction.requiringNew()
                .run(() -> newUser("\u0430" + local.substring(1) + "@example.org").persistAndFlush()));
        ConstraintViolationException violation = assertInstanceOf(ConstraintViolationException.class, rootViolation(refused));
        assertEquals("users_email_skeleton_uk", violation.getConstraintName());
        ApiException answer = ProblemMappers.constraintError(violation.getConstraintName(), violation.getSQLState());
        ApiException duplicate = ProblemMappers.constraintError("users_email_lower_uk", "23505");
        assertEquals(duplicate.type(), answer.type());
        assertEquals(duplicate.getMessage(), answer.getMessage());
    }

    private static User newUser(String email) {
        User user = new User();
        user.name = "Race";
        user.email = Emails.normalize(email);
        user.passwordHash = "not-a-hash";
        return user;
    }

    private static Throwable rootViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConstraintViolationException) {
                return c;
            }
        }
        return t;
    }
}
