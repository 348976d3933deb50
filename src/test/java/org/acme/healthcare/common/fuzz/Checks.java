package org.acme.healthcare.common.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.acme.healthcare.common.fuzz.Variants.abbreviate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Sends the fuzz test's requests and checks every answer: below 500, the expected status where
 * the variant has one, and every 4xx/5xx a clean RFC 9457 problem document (a FHIR
 * OperationOutcome under {@code /fhir}) that leaks nothing: no stack trace, SQL, class name,
 * HTML, or the value that was rejected; a 401 names its scheme, a 429 says when to retry.
 * Each dynamic test sends through its own {@link Findings}; the totals are the whole run's.
 */
final class Checks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM_TYPE_PREFIX = "urn:problem-type:healthcare:";
    private static final List<String> LEAK_MARKERS = List.of("Exception", "at org.", "at java.", "SELECT",
            "PSQLException", "org.acme");
    private static final List<String> LEAK_MARKERS_ANY_CASE = List.of("insert into", "syntax error", "<html");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final String root;

    /** One line per request of the run: number, status, method, path, variant, token. */
    final StringBuilder trace = new StringBuilder();
    final List<String> failures = new ArrayList<>();
    final Map<String, Integer> statuses = new TreeMap<>();
    int requests;
    int droppedConnections;

    Checks(String root) {
        this.root = root;
    }

    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(root + path))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + resp.statusCode());
        }
        return resp.body();
    }

    Findings start(String name) {
        return new Findings(name);
    }

    /** What one dynamic test sent and found. */
    final class Findings {
        final String name;
        int requests;
        final List<String> failures = new ArrayList<>();
        /** Failures by kind: the variant without field, id and stacked mutations, the status and the reasons. */
        final Map<String, Integer> kinds = new TreeMap<>();
        final Map<String, Integer> statuses = new TreeMap<>();

        private Findings(String name) {
            this.name = name;
        }

        /** Sends the request and checks the answer; returns its status, -1 for none. */
        int send(Req r) {
            requests++;
            Checks.this.requests++;
            String path = r.path();
            HttpRequest.Builder b;
            try {
                b = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(60));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the fuzz test built a bad URI: " + path, e);
            }
            b.method(r.method, r.body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body));
            if (r.contentType != null) {
                b.header("Content-Type", r.contentType);
            }
            if (r.auth != null && r.auth.header() != null) {
                b.header(r.auth.header(), r.auth.value());
            }
            r.headers.forEach(b::header);
            HttpResponse<byte[]> resp;
            try {
                try {
                    resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException stale) {
                    // The server closes the connection after a 414/431 (it says so: Connection: close); the
                    // client may still have reused it. One retry on a new connection; a second failure is a finding.
                    droppedConnections++;
                    resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                }
            } catch (IOException e) {
                count("no-response");
                trace.append(Checks.this.requests).append(" no-response ").append(r.method).append(' ').append(abbreviate(path, 160))
                        .append(" [").append(abbreviate(r.variant, 120)).append("]\n");
                record(r, -1, List.of("no response: " + e), "");
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            trace.append(Checks.this.requests).append(' ').append(resp.statusCode()).append(' ').append(r.method).append(' ')
                    .append(abbreviate(path, 160)).append(" [").append(abbreviate(r.variant, 120)).append("] token=")
                    .append(r.auth == null ? "none" : r.auth.name()).append('\n');
            count(String.valueOf(resp.statusCode()));
            check(r, resp);
            return resp.statusCode();
        }

        private void count(String status) {
            statuses.merge(status, 1, Integer::sum);
            Checks.this.statuses.merge(status, 1, Integer::sum);
        }

        private void check(Req r, HttpResponse<byte[]> resp) {
            int status = resp.statusCode();
            String body = new String(resp.body(), UTF_8);
            List<String> why = new ArrayList<>();
            if (status >= 500) {
                why.add("5xx");
            }
            if (r.expect != null && !r.expect.contains(status)) {
                why.add("expected " + r.expect);
            }
            // 414 and 431 too: the HTTP codec's refusals are problem documents (common/HttpCodecProblems).
            if (status >= 400) {
                String ct = resp.headers().firstValue("Content-Type").orElse("");
                // The FHIR view answers errors as OperationOutcome resources, everything else as problems.
                // A request line too long to read (414) has no path the service could see: a problem
                // document without an instance, whatever path the client meant.
                boolean lineUnread = status == 414;
                String bare = r.path().split("\\?", 2)[0];
                boolean fhir = !lineUnread && (bare.startsWith("/fhir/") || bare.equals("/fhir"));
                // The token endpoint answers OAuth's own JSON errors (RFC 6749 section 5.2).
                boolean oauth = !lineUnread && (bare.equals("/auth/token") || bare.equals("/auth/authorize"));
                String expected = fhir ? "application/fhir+json" : oauth ? "application/json" : "application/problem+json";
                if (!ct.toLowerCase(Locale.ROOT).startsWith(expected)) {
                    why.add("Content-Type '" + ct + "'");
                }
                if (fhir) {
                    outcomeShape(body, why);
                } else if (oauth) {
                    oauthShape(body, why);
                } else {
                    problemShape(body, status, !lineUnread, why);
                }
                // invalid_client is a 401 of the client's authentication in the body, not of a bearer scheme.
                if (status == 401 && !oauth && !resp.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer")) {
                    why.add("401 without WWW-Authenticate: Bearer");
                }
                if (status == 429 && resp.headers().firstValue("Retry-After").isEmpty()) {
                    why.add("429 without Retry-After");
                }
                for (String m : LEAK_MARKERS) {
                    if (body.contains(m)) {
                        why.add("body leaks '" + m + "'");
                    }
                }
                String lower = body.toLowerCase(Locale.ROOT);
                for (String m : LEAK_MARKERS_ANY_CASE) {
                    if (lower.contains(m)) {
                        why.add("body leaks '" + m + "'");
                    }
                }
                for (String p : r.planted) {
                    if (body.contains(p)) {
                        why.add("body echoes the planted value '" + abbreviate(p, 40) + "'");
                    }
                }
            }
            if (!why.isEmpty()) {
                record(r, status, why, body);
            }
        }

        private void record(Req r, int status, List<String> why, String body) {
            String kind = r.variant.replaceAll("\\+.*$", " (+random)").replaceAll("^field:[^:]+:", "field:*:")
                    .replaceAll("^path:[^=]+=.*(MARKER).*$", "path:*=$1").replaceAll("^path:([^=]+)=", "path:*=");
            kinds.merge(kind + " -> " + status + " " + String.join("; ", why).replaceAll("ZZ-ECHO-[a-z0-9]+", "ZZ-ECHO-*"),
                    1, Integer::sum);
            String failure = r.method + " " + r.op.template() + " [" + r.variant + "] token=" + (r.auth == null ? "none" : r.auth.name())
                    + " -> " + status + " " + why + " url=" + abbreviate(r.path(), 120) + " body=" + abbreviate(body, 300);
            failures.add(failure);
            Checks.this.failures.add(failure);
        }

        String summary() {
            return name + ": " + requests + " requests, " + failures.size() + " failures, statuses=" + statuses;
        }

        /** Fails with a digest (each kind of failure once, with how often it happened), then every failure. */
        void assertNone() {
            if (failures.isEmpty()) {
                return;
            }
            StringBuilder msg = new StringBuilder(summary()).append("\nKinds of failure:\n");
            kinds.forEach((k, n) -> msg.append(String.format("%5d x %s%n", n, k)));
            msg.append("All failures:\n");
            failures.forEach(f -> msg.append(f).append('\n'));
            throw new AssertionError(msg.toString());
        }
    }

    /** OAuth's error JSON: {@code error} one of its codes, {@code error_description} a string. */
    private static void oauthShape(String body, List<String> why) {
        JsonNode o;
        try {
            o = JSON.readTree(body);
        } catch (IOException e) {
            why.add("body is not JSON");
            return;
        }
        if (o == null || !List.of("invalid_request", "invalid_client", "invalid_grant", "invalid_scope", "unauthorized_client",
                "unsupported_grant_type", "unsupported_response_type", "server_error", "temporarily_unavailable")
                .contains(o.path("error").asText())) {
            why.add("not an OAuth error");
            return;
        }
        if (!o.path("error_description").isTextual()) {
            why.add("OAuth error without error_description");
        }
    }

    /** A FHIR OperationOutcome: at least one issue with severity, code and diagnostics. */
    private static void outcomeShape(String body, List<String> why) {
        JsonNode o;
        try {
            o = JSON.readTree(body);
        } catch (IOException e) {
            why.add("body is not JSON");
            return;
        }
        if (o == null || !"OperationOutcome".equals(o.path("resourceType").asText())) {
            why.add("not an OperationOutcome");
            return;
        }
        JsonNode issue = o.path("issue").path(0);
        if (!issue.path("severity").isTextual() || !issue.path("code").isTextual() || !issue.path("diagnostics").isTextual()) {
            why.add("OperationOutcome issue without severity, code or diagnostics");
        }
    }

    private static void problemShape(String body, int status, boolean pathKnown, List<String> why) {
        JsonNode p;
        try {
            p = JSON.readTree(body);
        } catch (IOException e) {
            why.add("body is not JSON");
            return;
        }
        if (p == null || !p.isObject()) {
            why.add("body is not a JSON object");
            return;
        }
        if (!p.path("type").isTextual() || !p.get("type").asText().startsWith(PROBLEM_TYPE_PREFIX)) {
            why.add("type missing or not " + PROBLEM_TYPE_PREFIX + "*");
        }
        if (!p.path("title").isTextual() || p.get("title").asText().isBlank()) {
            why.add("title missing");
        }
        if (!p.path("status").isInt() || p.get("status").asInt() != status) {
            why.add("status field " + p.path("status") + " != " + status);
        }
        if (!p.path("detail").isTextual()) {
            why.add("detail missing");
        }
        if (pathKnown && (!p.path("instance").isTextual() || !p.get("instance").asText().startsWith("/"))) {
            why.add("instance missing or not a path");
        }
        if (!pathKnown && p.has("instance")) {
            why.add("instance given for a request whose path could not be read");
        }
        if (p.has("errors")) {
            JsonNode errors = p.get("errors");
            if (!errors.isArray()) {
                why.add("errors is not a list");
            } else {
                for (JsonNode e : errors) {
                    if (!e.isObject() || !e.path("field").isTextual() || !e.path("message").isTextual()) {
                        why.add("errors entry is not {field, message}: " + abbreviate(e.toString(), 80));
                    }
                }
            }
        }
    }
}
