package org.acme.healthcare.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code target/quarkus-app/quarkus-run.jar}) in production mode, on
 * 127.0.0.1, against a {@link LocalCluster}, with the container image's JVM flags. Several can run
 * on one cluster ({@link Keys} shared, so their tokens are interchangeable, as replicas'). The
 * log goes to {@code target/it-logs/NAME.log}. {@link #close()} ends the process it started (by
 * its handle, nothing else).
 */
public final class ServiceJar implements AutoCloseable {
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    /**
     * The JVM flags of src/main/docker/Dockerfile.jvm, as src/main/docker/jvm-flags.sh prints them
     * (the one place they are written; flags this JVM does not accept are left out by it).
     */
    private static final List<String> IMAGE_JVM_FLAGS = imageJvmFlags();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    public final String name;
    public final int port;
    public final Path log;
    private final Process process;

    /** A throwaway RSA key pair in PEM files, for all the jars of one test. */
    public record Keys(Path privateKey, Path publicKey) {
        public static Keys generate() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Path dir = Files.createTempDirectory("healthcare-it-keys");
                Path priv = dir.resolve("privateKey.pem");
                Path pub = dir.resolve("publicKey.pem");
                Files.writeString(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                priv.toFile().deleteOnExit();
                pub.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                return new Keys(priv, pub);
            } catch (IOException | NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String pem(String type, byte[] der) {
            return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                    + "\n-----END " + type + "-----\n";
        }
    }

    private static List<String> imageJvmFlags() {
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", "src/main/docker/jvm-flags.sh", "target/quarkus-app");
            pb.environment().put("JVM_FLAGS_JAVA", javaExecutable());
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() != 0 || out.isEmpty()) {
                throw new IllegalStateException("src/main/docker/jvm-flags.sh failed");
            }
            return List.of(out.split("\\s+"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private ServiceJar(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts the jar (does not wait; see {@link #awaitReady(Duration)}). {@code env} adds to or
     * overrides the defaults: bcrypt cost 4, no shutdown delay.
     */
    public static ServiceJar start(String name, int port, LocalCluster db, Keys keys, Map<String, String> env) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the fault tests run after `package`");
        }
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(IMAGE_JVM_FLAGS);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        // Nothing of the build's own database or settings leaks in.
        pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("HEALTHCARE_")
                || k.startsWith("SMALLRYE_") || k.startsWith("MP_"));
        Map<String, String> all = new LinkedHashMap<>();
        all.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        all.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        all.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
        all.put("QUARKUS_DATASOURCE_USERNAME", "healthcare");
        all.put("QUARKUS_DATASOURCE_PASSWORD", "unused");
        all.put("SMALLRYE_JWT_SIGN_KEY_LOCATION", keys.privateKey().toString());
        all.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", keys.publicKey().toString());
        all.put("HEALTHCARE_BCRYPT_COST", "4");
        all.put("HEALTHCARE_AUDIT_KEY", "it-only-audit-key-not-secret-0123456789"); // required in prod; replicas share it
        all.put("HEALTHCARE_SHUTDOWN_DELAY", "0S");
        all.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        all.putAll(env);
        pb.environment().putAll(all);
        try {
            Path logs = Files.createDirectories(Path.of("target/it-logs"));
            Path log = logs.resolve(name + ".log");
            pb.redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            return new ServiceJar(name, port, log, pb.start());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits until readiness answers 200; fails with the log's tail when the process dies or time runs out. */
    public ServiceJar awaitReady(Duration timeout) {
        awaitStatus("/q/health/ready", 200, timeout);
        return this;
    }

    /** Polls {@code path} until it answers {@code status}. */
    public void awaitStatus(String path, int status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited (" + process.exitValue() + ") while waiting for " + path + ":\n" + tail());
            }
            last = status(path);
            if (last == status) {
                return;
            }
            sleep(250);
        }
        throw new AssertionError(name + ": " + path + " answered " + last + ", not " + status + ", within " + timeout + "\n" + tail());
    }

    /** The status of a GET (-1 when nothing answers within 5 s). */
    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM (an orderly shutdown, as Kubernetes sends). */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown at all. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the process to end; its exit code, or -1 if it is still running after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    public String tail() {
        List<String> lines = logText().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
