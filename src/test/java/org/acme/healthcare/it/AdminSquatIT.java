package org.acme.healthcare.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.acme.healthcare.it.support.Http;
import org.acme.healthcare.it.support.LocalCluster;
import org.acme.healthcare.it.support.Ports;
import org.acme.healthcare.it.support.ServiceJar;
import org.acme.healthcare.it.support.Slow;
import org.junit.jupiter.api.Test;

/**
 * The takeover the review found: someone registers the email an operator is about to configure
 * as the first admin, with a password of their own. Restarted with that email configured, the
 * packaged jar must stop, naming the conflict, and the account must stay a plain user.
 */
@Slow
class AdminSquatIT {
    private static final Duration READY = Duration.ofSeconds(90);

    @Test
    void aSquattedAdminEmailStopsStartUpAndIsNeverPromoted() throws Exception {
        String local = "late-admin-" + UUID.randomUUID().toString().substring(0, 8);
        String squatted = local + "@example.com";
        var keys = ServiceJar.Keys.generate();
        try (LocalCluster db = LocalCluster.start(Ports.pg(8))) {
            try (ServiceJar service = ServiceJar.start("squat-first", Ports.http(8), db, keys, Map.of()).awaitReady(READY)) {
                var registered = new Http(service.base()).send("POST", "/api/auth/register", null,
                        Map.of("name", "Squatter", "email", squatted, "password", Http.PASSWORD), Duration.ofSeconds(20));
                assertEquals(201, registered.status(), registered.response().body());
            }

            // The operator configures that email (upper case, a fullwidth first letter: the same account).
            Map<String, String> admin = Map.of("HEALTHCARE_ADMIN_EMAIL", "\uFF4C" + local.substring(1).toUpperCase() + "@Example.com",
                    "HEALTHCARE_ADMIN_PASSWORD", "operator-admin-" + UUID.randomUUID());
            try (ServiceJar refused = ServiceJar.start("squat-refused", Ports.http(8), db, keys, admin)) {
                int exit = refused.awaitExit(READY);
                String output = refused.logText();
                assertNotEquals(0, exit, output); // -1 would mean it is still running
                assertTrue(output.contains("HEALTHCARE_ADMIN_EMAIL names an existing account"), output);
                assertTrue(output.contains("not an admin"), output);
                assertFalse(output.contains(squatted), "the email itself is not logged");
            }

            // Without the admin settings it starts again; the squatter is still a plain user.
            try (ServiceJar service = ServiceJar.start("squat-third", Ports.http(8), db, keys, Map.of()).awaitReady(READY)) {
                var login = new Http(service.base()).send("POST", "/api/auth/login", null,
                        Map.of("email", squatted, "password", Http.PASSWORD), Duration.ofSeconds(20));
                assertEquals(200, login.status(), login.response().body());
                assertEquals("user", login.json().get("user").get("role").asText());
                assertEquals(0, db.queryLong("select count(*) from users where role = 'admin'"));
            }
        }
    }
}
