package org.acme.healthcare.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.acme.healthcare.audit.AuditConfig;
import org.acme.healthcare.user.AccountsConfig;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The int settings with a range (IntRange converters instead of {@code @Min}/{@code @Max}): a value
 * outside the range stops the configuration from being read, naming the property, the value and
 * the range; the limits themselves and the defaults are accepted. Read with SmallRye Config's own
 * mapping, as the service reads it at start.
 */
class ConfigRangesTest {
    private static SmallRyeConfig config(Map<String, String> overrides) throws IOException {
        var url = ConfigRangesTest.class.getClassLoader().getResource("application.properties");
        return new SmallRyeConfigBuilder()
                .withProfile("test")
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus' "30M", "12H"
                .withValidateUnknown(false) // the other features' settings, not mapped here
                .withSources(new PropertiesConfigSource(url, 250))
                .withSources(new PropertiesConfigSource(overrides, "overrides", 400))
                .withMapping(AccountsConfig.class)
                .withMapping(AuditConfig.class)
                .build();
    }

    private static String refused(String property, String value) {
        Exception e = assertThrows(Exception.class, () -> config(Map.of(property, value)), property + "=" + value);
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        assertTrue(all.toString().contains(property), all.toString());
        return all.toString();
    }

    @Test
    void valuesOutsideTheirRangeAreRefused() {
        assertTrue(refused("healthcare.password.bcrypt-cost", "3").contains("must be between 4 and 16, is 3"));
        assertTrue(refused("healthcare.password.bcrypt-cost", "17").contains("must be between 4 and 16, is 17"));
        assertTrue(refused("healthcare.audit.months-ahead", "0").contains("must be between 1 and 24, is 0"));
        assertTrue(refused("healthcare.audit.months-ahead", "25").contains("must be between 1 and 24, is 25"));
        assertTrue(refused("healthcare.audit.verify-workers", "-1").contains("must be between 0 and 16, is -1"));
        assertTrue(refused("healthcare.audit.verify-workers", "17").contains("must be between 0 and 16, is 17"));
        for (String p : new String[] { "healthcare.login.max-failures-per-email-and-client", "healthcare.login.max-failures-per-email",
                "healthcare.login.max-failures-per-client", "healthcare.registration.max-per-client" }) {
            assertTrue(refused(p, "0").contains("must be at least 1, is 0"), p);
        }
        assertTrue(refused("healthcare.password.bcrypt-cost", "ten").contains("not a whole number: ten"));
    }

    @Test
    void theLimitsAndTheDefaultsAreAccepted() throws IOException {
        AccountsConfig low = config(Map.of("healthcare.password.bcrypt-cost", "4", "healthcare.login.max-failures-per-client", "1"))
                .getConfigMapping(AccountsConfig.class);
        assertEquals(4, low.password().bcryptCost());
        assertEquals(1, low.login().maxFailuresPerClient());
        assertEquals(16, config(Map.of("healthcare.password.bcrypt-cost", "16")).getConfigMapping(AccountsConfig.class)
                .password().bcryptCost());
        AuditConfig audit = config(Map.of("healthcare.audit.months-ahead", "24", "healthcare.audit.verify-workers", "16"))
                .getConfigMapping(AuditConfig.class);
        assertEquals(24, audit.monthsAhead());
        assertEquals(16, audit.verifyWorkers());
        audit = config(Map.of("healthcare.audit.months-ahead", "1", "healthcare.audit.verify-workers", "0"))
                .getConfigMapping(AuditConfig.class);
        assertEquals(1, audit.monthsAhead());
        assertEquals(0, audit.verifyWorkers());

        SmallRyeConfig defaults = config(Map.of());
        AccountsConfig accounts = defaults.getConfigMapping(AccountsConfig.class);
        assertEquals(4, accounts.password().bcryptCost()); // %test
        assertEquals(5, accounts.login().maxFailuresPerEmailAndClient());
        assertEquals(3, defaults.getConfigMapping(AuditConfig.class).monthsAhead());
    }
}
