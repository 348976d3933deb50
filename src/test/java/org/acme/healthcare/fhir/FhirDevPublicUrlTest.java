package org.acme.healthcare.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Dev mode's public base URL is the dev server, so HAPI's generic client follows FHIR searches'
 * absolute {@code next} links with no setting; test and prod have none (links stay relative
 * unless {@code HEALTHCARE_PUBLIC_URL} is set). Read with SmallRye Config's own profile rules.
 */
class FhirDevPublicUrlTest {
    private static SmallRyeConfig config(String profile, Map<String, String> overrides) throws IOException {
        var url = FhirDevPublicUrlTest.class.getClassLoader().getResource("application.properties");
        return new SmallRyeConfigBuilder().withProfile(profile)
                .withSources(new PropertiesConfigSource(url, 250))
                .withSources(new PropertiesConfigSource(overrides, "overrides", 400))
                .build();
    }

    @Test
    void testAndProdHaveNoDefaultPublicUrl() throws IOException {
        for (String profile : new String[] { "test", "prod" }) {
            assertEquals(Optional.empty(), config(profile, Map.of()).getOptionalValue("healthcare.public-url", String.class),
                    profile);
        }
    }

    @Test
    void devModeDefaultsToTheDevServerAndTheSettingStillWins() throws IOException {
        assertEquals("http://localhost:8080", config("dev", Map.of()).getValue("healthcare.public-url", String.class));
        assertEquals("http://localhost:9090",
                config("dev", Map.of("quarkus.http.port", "9090")).getValue("healthcare.public-url", String.class));
        assertEquals("https://api.example.com", config("dev", Map.of("HEALTHCARE_PUBLIC_URL", "https://api.example.com"))
                .getValue("healthcare.public-url", String.class));
    }
}
