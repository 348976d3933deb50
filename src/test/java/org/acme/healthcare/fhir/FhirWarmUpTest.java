package org.acme.healthcare.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.core.MediaType;

import org.acme.healthcare.common.ApiException;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;

/**
 * HAPI's model loads in the background after start-up ({@link Fhir}): while it loads, readiness is
 * DOWN, a FHIR request waits a bounded time and is then refused with 503 (its OperationOutcome
 * written without HAPI), and it never hangs; a failed load stays visible; racing requests all get
 * the one context once it is there.
 */
class FhirWarmUpTest {
    /** One real context for the whole class (building one takes a second or more). */
    private static final FhirContext REAL = FhirContext.forR4();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(8);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    private static Fhir blockedUntil(CountDownLatch release, long waitMillis) {
        return new Fhir(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return REAL;
        }, waitMillis);
    }

    private static OperationOutcome outcome(String diagnostics) {
        OperationOutcome o = new OperationOutcome();
        o.addIssue().setSeverity(IssueSeverity.FATAL).setCode(IssueType.TRANSIENT).setDiagnostics(diagnostics);
        return o;
    }

    @Test
    void whileLoadingARequestIsRefusedWith503AfterTheBoundedWaitNotHeld() {
        CountDownLatch release = new CountDownLatch(1);
        Fhir fhir = blockedUntil(release, 200);
        try {
            fhir.startWarmUp();
            long t0 = System.nanoTime();
            ApiException e = assertThrows(ApiException.class, fhir::context);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(e instanceof ApiException.Unavailable, "503 + Retry-After: " + e);
            assertEquals(Fhir.WARMING_UP, e.getMessage());
            assertTrue(waited >= 150 && waited < 5_000, "waited " + waited + " ms");
            assertFalse(fhir.isReady());
            assertThrows(ApiException.Unavailable.class, fhir::parser, "a parser needs the context too");
        } finally {
            release.countDown();
        }
    }

    @Test
    void whileLoadingReadinessIsDown() {
        CountDownLatch release = new CountDownLatch(1);
        Fhir fhir = blockedUntil(release, 200);
        try {
            fhir.startWarmUp();
            HealthCheckResponse down = new FhirReadiness(fhir).call();
            assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus());
            assertEquals("loading", down.getData().orElseThrow().get("state"));
        } finally {
            release.countDown();
        }
    }

    @Test
    void whileLoadingTheRefusalsOperationOutcomeIsWrittenWithoutHapi() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Fhir fhir = blockedUntil(release, 50);
        try {
            fhir.startWarmUp();
            String diagnostics = "quote \" backslash \\ newline \n tab \t é " + Fhir.WARMING_UP;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            new FhirJsonWriter(fhir).writeTo(outcome(diagnostics), OperationOutcome.class, OperationOutcome.class, null,
                    MediaType.valueOf(Fhir.MEDIA_TYPE), null, out);
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 1_000, "written at once, no wait");
            String written = out.toString(StandardCharsets.UTF_8);
            JsonNode json = new ObjectMapper().readTree(written);
            assertEquals("OperationOutcome", json.path("resourceType").asText());
            assertEquals(1, json.path("issue").size());
            assertEquals("fatal", json.at("/issue/0/severity").asText());
            assertEquals("transient", json.at("/issue/0/code").asText());
            assertEquals(diagnostics, json.at("/issue/0/diagnostics").asText());
            // HAPI reads it back as the same resource once it is there.
            OperationOutcome parsed = REAL.newJsonParser().parseResource(OperationOutcome.class, written);
            assertEquals(diagnostics, parsed.getIssueFirstRep().getDiagnostics());
            assertEquals(json.toString(), new ObjectMapper().readTree(fhir.json(outcome(diagnostics))).toString());
            // Anything but an OperationOutcome still needs the model: refused, not written half.
            assertThrows(ApiException.Unavailable.class, () -> fhir.json(new Patient()));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aFailedLoadStaysVisibleInReadinessAndAnswers500NotAHang() {
        Fhir fhir = new Fhir(() -> {
            throw new IllegalStateException("model broken");
        }, 5_000);
        fhir.startWarmUp();
        IllegalStateException e = assertThrows(IllegalStateException.class, fhir::context);
        assertEquals("model broken", e.getCause().getMessage());
        assertFalse(fhir.isReady());
        assertTrue(fhir.hasFailed());
        HealthCheckResponse down = new FhirReadiness(fhir).call();
        assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus());
        assertEquals("failed", down.getData().orElseThrow().get("state"));
    }

    @Test
    void requestsRacingTheWarmUpAllGetTheOneContextOnceItIsThere() throws Exception {
        for (int round = 0; round < 50; round++) {
            CountDownLatch release = new CountDownLatch(1);
            Fhir fhir = blockedUntil(release, 10_000);
            List<Future<FhirContext>> readers = new ArrayList<>();
            CountDownLatch started = new CountDownLatch(8);
            for (int i = 0; i < 8; i++) {
                readers.add(POOL.submit(() -> {
                    started.countDown();
                    return fhir.context(); // the first call starts the warm-up when nobody did
                }));
            }
            started.await();
            assertFalse(fhir.isReady());
            assertEquals(HealthCheckResponse.Status.DOWN, new FhirReadiness(fhir).call().getStatus());
            release.countDown();
            for (Future<FhirContext> reader : readers) {
                assertSame(REAL, reader.get(10, TimeUnit.SECONDS), "round " + round);
            }
            assertTrue(fhir.isReady());
            assertEquals(HealthCheckResponse.Status.UP, new FhirReadiness(fhir).call().getStatus());
        }
    }

    @Test
    void onceLoadedEverythingIsHapisOwnEncoding() {
        Fhir fhir = new Fhir(() -> REAL, 1_000);
        fhir.startWarmUp();
        assertSame(REAL, fhir.context());
        assertTrue(fhir.isReady());
        assertEquals(REAL.newJsonParser().encodeResourceToString(outcome("x")), fhir.json(outcome("x")));
    }
}
