package org.acme.healthcare.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * The takeover the review found: someone registers the email an operator is about to configure
 * as the first admin, with a password of their own. Restarted with that email configured, the
 * packaged jar must stop, naming the conflict, and the account must stay a plain user.
 */
class AdminSquatIT {

    @Test
    void aSquattedAdminEmailStopsStartUpAndIsNeverPromoted() throws Exception {
        Map<String, String> env = new HashMap<>(new GeneratedKeys().startAsFiles());
        String local = "late-admin-" + UUID.randomUUID().toString().substring(0, 8);
        String squatted = local + "@example.com";
        String squatterPassword = "squatter chose this one";
        try (PackagedJar service = PackagedJar.started(env)) {
            var registered = service.post("/api/auth/register",
                    "{\"name\":\"Squatter\",\"email\":\"" + squatted + "\",\"password\":\"" + squatterPassword + "\"}", null);
            assertEquals(201, registered.statusCode(), registered.body());
        }

        // The operator configures that email (upper case, a fullwidth first letter: the same account).
        Map<String, String> withAdmin = new HashMap<>(env);
        withAdmin.put("HEALTHCARE_ADMIN_EMAIL", "\uFF4C" + local.substring(1).toUpperCase() + "@Example.com");
        withAdmin.put("HEALTHCARE_ADMIN_PASSWORD", "operator-admin-" + UUID.randomUUID());
        try (PackagedJar refused = PackagedJar.start(withAdmin)) {
            int exit = refused.awaitExit(90);
            String output = refused.output();
            assertNotEquals(0, exit, output);
            assertTrue(output.contains("HEALTHCARE_ADMIN_EMAIL names an existing account"), output);
            assertTrue(output.contains("not an admin"), output);
            assertFalse(output.contains(squatted), "the email itself is not logged");
        }

        // Without the admin settings it starts again; the squatter is still a plain user.
        try (PackagedJar service = PackagedJar.started(env)) {
            var login = service.post("/api/auth/login",
                    "{\"email\":\"" + squatted + "\",\"password\":\"" + squatterPassword + "\"}", null);
            assertEquals(200, login.statusCode(), login.body());
            assertTrue(login.body().contains("\"role\":\"user\""), login.body());
        }
    }
}
