package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.PASSWORD;
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
import io.restassured.http.ContentType;

/**
 * The login throttle takes its slot before the password is checked: a burst of concurrent
 * wrong passwords for one email from one client gets at most the allowed number of password
 * checks (5), and the right password sent after them does not get in until the window ends.
 */
@QuarkusTest
class LoginBurstTest {
    private static final int ALLOWED = 5;

    @Test
    void aBurstOfWrongPasswordsGetsAtMostTheAllowedNumberOfChecks() throws Exception {
        for (int round = 0; round < 5; round++) {
            TestUser user = newUser();
            List<Integer> statuses = burst(user.email(), 19);
            long checked = statuses.stream().filter(s -> s == 401).count();
            assertTrue(checked <= ALLOWED, "round " + round + ": " + checked + " password checks in one burst: " + statuses);
            assertTrue(statuses.stream().allMatch(s -> Set.of(401, 429, 503).contains(s)), statuses.toString());
            assertTrue(statuses.contains(429), "the burst was throttled: " + statuses);
            // The slots are used: the right password, 20th, is refused too until the window ends.
            assertEquals(429, login(user.email(), PASSWORD), "round " + round + ": the right password got in after " + statuses);
        }
    }

    /** {@code n} wrong passwords, all released at once. */
    private static List<Integer> burst(String email, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String password = "wrong password " + i;
            answers.add(pool.submit(() -> {
                go.await();
                return login(email, password);
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : answers) {
            statuses.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return statuses;
    }

    private static int login(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api/auth/login").statusCode();
    }
}
