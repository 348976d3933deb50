package org.acme.healthcare.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What the HTTP codec refuses while it parses a request head (before any route runs) is a
 * problem document too, not an empty body. Raw sockets: an HTTP client would not send these.
 */
@QuarkusTest
class HttpCodecProblemsTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void aRequestLineOver4KiBIsA414Problem() throws IOException {
        Raw answer = send("GET /api/patients?q=" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertProblem(answer, 414, "urn:problem-type:healthcare:uri-too-long");
        assertFalse(answer.body.contains("aaaa"), "the rejected input is not echoed");
    }

    @Test
    void headersOver20KiBAreA431Problem() throws IOException {
        Raw answer = send("GET /api/patients HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(21_000) + "\r\n\r\n");
        assertProblem(answer, 431, "urn:problem-type:healthcare:header-fields-too-large");
        assertEquals("/api/patients", answer.json().path("instance").asText(), "the path is known: it is the instance");
    }

    @Test
    void aMalformedRequestLineIsA400Problem() throws IOException {
        assertProblem(send("GET /api/patients HTTP/1.1 trailing\r\nHost: x\r\n\r\n"), 400,
                "urn:problem-type:healthcare:malformed-request");
        assertProblem(send("GARBAGE\r\n\r\n"), 400, "urn:problem-type:healthcare:malformed-request");
    }

    @Test
    void aMalformedHeaderIsA400Problem() throws IOException {
        assertProblem(send("GET /api/patients HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n"), 400,
                "urn:problem-type:healthcare:malformed-request");
    }

    @Test
    void aMalformedContentLengthIsA400Problem() throws IOException {
        assertProblem(send("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 12abc\r\n\r\n{}"), 400, "urn:problem-type:healthcare:malformed-request");
        assertProblem(send("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"), 400, "urn:problem-type:healthcare:malformed-request");
    }

    @Test
    void underFhirTheCodecsRefusalIsAnOperationOutcome() throws IOException {
        Raw answer = send("GET /fhir/Patient HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(21_000) + "\r\n\r\n");
        assertEquals(431, answer.status, answer.head);
        assertTrue(answer.header("content-type").startsWith("application/fhir+json"), answer.head);
        assertEquals("OperationOutcome", answer.json().path("resourceType").asText(), answer.body);
    }

    private static void assertProblem(Raw answer, int status, String type) {
        assertEquals(status, answer.status, answer.head);
        assertTrue(answer.header("content-type").startsWith("application/problem+json"), answer.head);
        JsonNode problem = answer.json();
        assertEquals(type, problem.path("type").asText(), answer.body);
        assertEquals(status, problem.path("status").asInt(), answer.body);
        assertFalse(problem.path("title").asText().isEmpty(), answer.body);
        assertFalse(problem.path("detail").asText().isEmpty(), answer.body);
        assertFalse(answer.body.contains("Exception"), answer.body);
        assertEquals("nosniff", answer.header("x-content-type-options"), answer.head);
        assertEquals("DENY", answer.header("x-frame-options"), answer.head);
        assertEquals("frame-ancestors 'none'", answer.header("content-security-policy"), answer.head);
        assertEquals("close", answer.header("connection"), "the connection cannot be read further: " + answer.head);
    }

    private Raw send(String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return Raw.read(socket.getInputStream());
        }
    }

    /** One HTTP/1.1 response read up to the end of its Content-Length or of the connection. */
    record Raw(int status, String head, List<String> headerLines, String body) {
        static Raw read(InputStream in) throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                all.write(buf, 0, n);
                String text = all.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    String length = headerOf(text.substring(0, end), "content-length");
                    if (length != null && all.size() >= end + 4 + Integer.parseInt(length.strip())) {
                        break;
                    }
                }
            }
            String text = all.toString(StandardCharsets.UTF_8);
            assertFalse(text.isEmpty(), "an answer, not a closed connection");
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 4);
            List<String> lines = new ArrayList<>(List.of(head.split("\r\n")));
            int status = Integer.parseInt(lines.remove(0).split(" ")[1]);
            return new Raw(status, head, lines, body);
        }

        private static String headerOf(String head, String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }

        String header(String name) {
            String value = headerOf(head, name);
            return value == null ? "" : value;
        }

        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + head + "\r\n\r\n" + body, e);
            }
        }
    }
}
