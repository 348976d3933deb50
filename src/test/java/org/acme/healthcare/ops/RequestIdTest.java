package org.acme.healthcare.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RequestIdTest {
    static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void aSaneClientIdIsEchoed() {
        given().header(RequestId.HEADER, "trace-42.a_b:c")
                .when().get("/api/patients")
                .then().statusCode(401)
                .header(RequestId.HEADER, equalTo("trace-42.a_b:c"));
    }

    @Test
    void withoutAClientIdTheServiceMakesOneForEveryResponse() {
        String first = given().when().get("/q/health/live").then().statusCode(200)
                .header(RequestId.HEADER, matchesPattern(UUID)).extract().header(RequestId.HEADER);
        String second = given().when().get("/api/no-such-path").then().statusCode(404)
                .header(RequestId.HEADER, matchesPattern(UUID)).extract().header(RequestId.HEADER);
        assertNotEquals(first, second);
    }

    @Test
    void anUnsafeOrOverlongClientIdIsReplaced() {
        for (String bad : List.of("has space", "<script>", "x".repeat(65), "a\"b", "id;drop")) {
            given().header(RequestId.HEADER, bad)
                    .when().get("/api/patients")
                    .then().statusCode(401)
                    .header(RequestId.HEADER, matchesPattern(UUID));
        }
    }

    @Test
    void aRequestRejectedBeforeRoutingStillCarriesTheId() {
        given().header(RequestId.HEADER, "bad-token-request")
                .header("Authorization", "Bearer not.a.token")
                .when().get("/api/patients/1")
                .then().statusCode(401)
                .header(RequestId.HEADER, equalTo("bad-token-request"));
    }

    @Test
    void theIdsAreInTheMdcOfLogLinesWrittenOnAWorkerThread() {
        // The MDC of a record is read lazily, so read it here, on the thread that logged.
        List<String> ids = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                ExtLogRecord ext = ExtLogRecord.wrap(record);
                ids.add(ext.getMdc(RequestId.MDC_KEY) + " " + ext.getMdc(RequestId.CLIENT_MDC_KEY));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = LogContext.getLogContext().getLogger(LogProbeResource.LOGGER);
        logger.addHandler(capture);
        try {
            String thread = given().header(RequestId.HEADER, "probe-1")
                    .when().get("/test-support/log-probe")
                    .then().statusCode(200).header(RequestId.HEADER, "probe-1")
                    .body(not(emptyOrNullString())).extract().asString();
            assertFalse(thread.contains("eventloop"), "the probe must run on a worker thread, ran on " + thread);
            given().when().get("/test-support/log-probe").then().statusCode(200);
        } finally {
            logger.removeHandler(capture);
        }
        assertEquals(2, ids.size());
        // The line carries the server's own id; the client's id is beside it, never instead of it.
        assertTrue(ids.get(0).matches(UUID + " probe-1"), ids.get(0));
        assertTrue(ids.get(1).matches(UUID + " null"), "the second request's own id, no client id: " + ids.get(1));
        assertNotEquals(ids.get(0).split(" ")[0], ids.get(1).split(" ")[0]);
    }

    @Test
    void acceptKeepsOnlyBoundedSafeIds() {
        assertEquals("abc", RequestId.clientId("abc"));
        assertEquals("a".repeat(64), RequestId.clientId("a".repeat(64)));
        assertEquals(null, RequestId.clientId("a".repeat(65)));
        assertEquals(null, RequestId.clientId("line\nbreak"));
        assertEquals(null, RequestId.clientId(""));
        assertEquals(null, RequestId.clientId(null));
    }
}
