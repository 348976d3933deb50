package org.acme.healthcare.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A small JSON client for the fault tests (java.net.http: keep-alive, thread-safe, bounded waits). */
public final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String PASSWORD = "fault-test-password";
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final String base;

    public record Answer(int status, HttpResponse<String> response, long millis) {
        public JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new IllegalStateException(response.body(), e);
            }
        }

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    public Http(String base) {
        this.base = base;
    }

    public Answer get(String path, String token, Duration timeout) throws IOException, InterruptedException {
        return send(request(path, token, timeout).GET().build());
    }

    public Answer send(String method, String path, String token, Object body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path, token, timeout).header("Content-Type", "application/json");
        if (method.equals("PUT")) {
            b.header("If-Match", "*");
        }
        return send(b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    /** A change with an explicit {@code If-Match}. */
    public Answer sendIfMatch(String method, String path, String token, Object body, String ifMatch)
            throws IOException, InterruptedException {
        return send(request(path, token, Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("If-Match", ifMatch)
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    private HttpRequest.Builder request(String path, String token, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r, (System.nanoTime() - start) / 1_000_000);
    }

    /** Registers a new user and logs in: the token. */
    public String newUser() throws IOException, InterruptedException {
        String email = "fault-" + UUID.randomUUID() + "@example.com";
        Answer reg = send("POST", "/api/auth/register", null, Map.of("name", "Fault Test", "email", email, "password", PASSWORD),
                Duration.ofSeconds(20));
        if (reg.status() != 201) {
            throw new AssertionError("register answered " + reg.status() + ": " + reg.response().body());
        }
        return login(email);
    }

    public String login(String email) throws IOException, InterruptedException {
        Answer login = send("POST", "/api/auth/login", null, Map.of("email", email, "password", PASSWORD), Duration.ofSeconds(20));
        if (login.status() != 200) {
            throw new AssertionError("login answered " + login.status() + ": " + login.response().body());
        }
        return login.json().get("token").asText();
    }

    /** Creates a patient: its id. */
    public long createPatient(String token, String name) throws IOException, InterruptedException {
        Answer a = send("POST", "/api/patients", token, Map.of("name", name), Duration.ofSeconds(20));
        if (a.status() != 201) {
            throw new AssertionError("create answered " + a.status() + ": " + a.response().body());
        }
        return a.json().get("id").asLong();
    }
}
