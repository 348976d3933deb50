package org.acme.healthcare.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One more instance of the packaged jar (production mode), for tests that need several replicas
 * or a restart: it inherits the test's environment (the database settings failsafe passes), takes
 * extra variables, listens on a free loopback port and logs to a file of its own. Loopback only;
 * every wait is bounded.
 */
final class PackagedJar implements AutoCloseable {
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final int port;
    final Path log;
    private final Process process;

    private PackagedJar(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts the jar; does not wait for it. */
    static PackagedJar start(Map<String, String> env) throws IOException {
        int port = freePort();
        Path log = Files.createTempFile("healthcare-jar-", ".log");
        log.toFile().deleteOnExit();
        Map<String, String> all = new HashMap<>(env);
        all.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        all.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        all.putIfAbsent("HEALTHCARE_SHUTDOWN_DELAY", "0S");
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        pb.environment().putAll(all);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return new PackagedJar(port, log, pb.start());
    }

    /** Starts the jar and waits until it is ready (at most 90 s). */
    static PackagedJar started(Map<String, String> env) throws Exception {
        PackagedJar jar = start(env);
        try {
            jar.awaitReady();
            return jar;
        } catch (Throwable t) {
            jar.close();
            throw t;
        }
    }

    void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (send(HttpRequest.newBuilder(uri("/q/health/ready")).timeout(Duration.ofSeconds(2)).build()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service did not become ready:\n" + output());
    }

    /** Waits for the process to end by itself (a refused start-up); its exit code. */
    int awaitExit(long seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the service is still running after " + seconds + " s:\n" + output());
        }
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    HttpResponse<String> post(String path, String json, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    HttpResponse<String> patch(String path, String json, String token) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** SIGTERM, then at most 30 s for a clean stop, then SIGKILL. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
