package org.acme.healthcare.it;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.acme.healthcare.it.support.Slow;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar in production mode stops at once, naming what is missing, rather than
 * starting and then failing every login.
 */
@Slow
class StartupRefusalIT {
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private record Outcome(int exitCode, String output) {
    }

    private static Outcome run(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("SMALLRYE_") || k.startsWith("MP_"));
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the service started instead of refusing to");
        }
        return new Outcome(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void refusesToStartWithoutTokenKeys() throws Exception {
        // No migration, so the check does not depend on a reachable database.
        Outcome o = run(Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/none",
                "QUARKUS_FLYWAY_MIGRATE_AT_START", "false"));
        assertNotEquals(0, o.exitCode());
        assertTrue(o.output().contains("SMALLRYE_JWT_SIGN_KEY_LOCATION"), o.output());
        assertTrue(o.output().contains("MP_JWT_VERIFY_PUBLICKEY_LOCATION"), o.output());
    }

    @Test
    void refusesToStartWithoutADatabase() throws Exception {
        Path dir = Files.createTempDirectory("keys");
        Path key = dir.resolve("k.pem");
        Files.writeString(key, "unused");
        Outcome o = run(Map.of("SMALLRYE_JWT_SIGN_KEY_LOCATION", key.toString(),
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", key.toString()));
        assertNotEquals(0, o.exitCode());
        assertTrue(o.output().contains("quarkus.datasource.jdbc.url"), o.output());
    }
}
