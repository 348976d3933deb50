package org.acme.healthcare.user;

import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.uniqueEmail;

import java.util.Map;

import org.acme.healthcare.support.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Failed logins from one client address, across many emails, are throttled too. */
@QuarkusTest
@TestProfile(ClientThrottleTest.LowClientLimit.class)
class ClientThrottleTest {

    public static class LowClientLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("healthcare.login.max-failures-per-client", "3");
        }
    }

    @BeforeEach
    void forgetThisClient() {
        QuarkusTransaction.requiringNew().run(() -> User.getEntityManager()
                .createNativeQuery("delete from login_throttle where throttle_key like 'client:%'").executeUpdate());
    }

    @Test
    void oneClientTryingManyEmailsIsBlocked() {
        var registered = Api.newUser();
        for (int i = 0; i < 3; i++) {
            assertProblem(ThrottleTest.login(uniqueEmail(), "guess"), 401);
        }
        assertProblem(ThrottleTest.login(registered.email(), PASSWORD), 429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
        forgetThisClient();
    }
}
