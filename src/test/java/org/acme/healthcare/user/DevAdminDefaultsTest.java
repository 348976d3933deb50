package org.acme.healthcare.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The README's dev admin (issue 24): application.properties gives dev mode a first admin and
 * no other profile one. Read with SmallRye Config's own profile rules, as the service reads it.
 */
class DevAdminDefaultsTest {
    private static SmallRyeConfig config(String profile) throws IOException {
        var url = DevAdminDefaultsTest.class.getClassLoader().getResource("application.properties");
        return new SmallRyeConfigBuilder()
                .withProfile(profile)
                .withSources(new PropertiesConfigSource(url, 250))
                .build();
    }

    @Test
    void prodHasNoDefaultAdmin() throws IOException {
        SmallRyeConfig prod = config("prod");
        assertEquals(Optional.empty(), prod.getOptionalValue("healthcare.admin.email", String.class));
        assertEquals(Optional.empty(), prod.getOptionalValue("healthcare.admin.password", String.class));
    }

    @Test
    void devModeHasTheReadmesAdmin() throws IOException {
        SmallRyeConfig dev = config("dev");
        assertEquals("admin@example.com", dev.getValue("healthcare.admin.email", String.class));
        String password = dev.getValue("healthcare.admin.password", String.class);
        assertEquals("dev-admin-password", password);
        // AdminBootstrap refuses to start with a password the policy refuses: dev mode would not start.
        assertEquals(Optional.empty(), PasswordPolicy.problem(password, Emails.normalize("admin@example.com")));
        assertTrue(password.length() >= 8);
    }
}
