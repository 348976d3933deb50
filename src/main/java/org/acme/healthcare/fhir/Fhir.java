package org.acme.healthcare.fhir;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.acme.healthcare.common.ApiException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.StartupEvent;

/**
 * The one {@link FhirContext} of the service (building one scans the model, so it is made once)
 * and the JSON encoding of resources. A parser is cheap and not thread-safe: one per call.
 *
 * <p>The context and the model of every served type are built on a thread of their own that starts
 * as soon as the bean is made (while the REST endpoints are set up), alongside the rest of start-up (ORM, migrations, HTTP), not on
 * the start-up path: that was ~1.5 s of a start (bench/results/2026-12-07-startup-rss.md).
 * Readiness ({@link FhirReadiness}) is DOWN until it is done, so a load balancer sends nothing
 * before; a FHIR request that comes anyway waits for it up to {@link #WARM_UP_WAIT_MS} and is
 * then answered 503 + Retry-After (an OperationOutcome written without HAPI), never a hang.
 *
 * <p>{@code @Singleton}, not {@code @ApplicationScoped}: a client proxy is a subclass whose
 * construction ran the field initialiser, so the service built a second, unused context.
 */
@Singleton
public class Fhir {
    private static final Logger LOG = Logger.getLogger(Fhir.class);
    public static final String MEDIA_TYPE = "application/fhir+json";
    public static final String VERSION = "4.0.1";
    /** The resource types this service serves, plus the ones it answers with. */
    static final List<Class<? extends IBaseResource>> TYPES = List.of(Patient.class, Practitioner.class, CareTeam.class,
            Condition.class, Organization.class, Bundle.class, CapabilityStatement.class, OperationOutcome.class);
    /** How long a FHIR request waits for the warm-up before it is answered 503. */
    static final long WARM_UP_WAIT_MS = 10_000;
    static final String WARMING_UP = "The FHIR model is still being loaded after start-up. Try again shortly.";

    private final CompletableFuture<FhirContext> context = new CompletableFuture<>();
    private final Supplier<FhirContext> loader;
    private final long waitMillis;
    private Thread warmUpThread;

    Fhir() {
        this(Fhir::load, WARM_UP_WAIT_MS);
    }

    /** Tests: another loader (one that blocks or fails) and a shorter wait. */
    Fhir(Supplier<FhirContext> loader, long waitMillis) {
        this.loader = loader;
        this.waitMillis = waitMillis;
    }

    static FhirContext load() {
        FhirContext built = FhirContext.forR4();
        TYPES.forEach(built::getResourceDefinition);
        return built;
    }

    /**
     * Starts the warm-up when the bean is made: the REST layer's FHIR writer needs it while the
     * endpoints are set up, before ORM, migrations, OpenAPI and HTTP. Not while a native image is
     * built (no thread may run then): there the start-up event below starts it.
     */
    @PostConstruct
    void init() {
        if (ImageMode.current() != ImageMode.NATIVE_BUILD) {
            startWarmUp();
        }
    }

    void warmUp(@Observes StartupEvent event) {
        startWarmUp();
    }

    synchronized void startWarmUp() {
        if (warmUpThread != null) {
            return;
        }
        warmUpThread = new Thread(() -> {
            try {
                context.complete(loader.get());
            } catch (Throwable e) {
                LOG.error("The FHIR model could not be loaded; /fhir answers 500", e);
                context.completeExceptionally(e);
            }
        }, "fhir-warm-up");
        warmUpThread.setDaemon(true);
        warmUpThread.start();
    }

    /** True once the context and the served types' model are built (readiness). */
    public boolean isReady() {
        return context.isDone() && !context.isCompletedExceptionally();
    }

    /** True when the warm-up failed (readiness says why). */
    boolean hasFailed() {
        return context.isCompletedExceptionally();
    }

    /** The context; waits for the warm-up up to {@link #WARM_UP_WAIT_MS}, then 503. */
    public FhirContext context() {
        FhirContext ready = context.getNow(null);
        if (ready != null) {
            return ready;
        }
        startWarmUp(); // a bean used before the container's event (tests that build it by hand)
        try {
            return context.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ApiException.Unavailable(WARMING_UP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException.Unavailable(WARMING_UP);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The FHIR model could not be loaded", e.getCause());
        }
    }

    public String json(IBaseResource resource) {
        if (!isReady() && resource instanceof OperationOutcome outcome) {
            return plainJson(outcome);
        }
        return parser().encodeResourceToString(resource);
    }

    /** Writes the resource; an OperationOutcome also while the model is not loaded (the 503 above). */
    void write(IBaseResource resource, Writer writer) throws IOException {
        if (!isReady() && resource instanceof OperationOutcome outcome) {
            writer.write(plainJson(outcome));
            return;
        }
        parser().encodeResourceToWriter(resource, writer);
    }

    public IParser parser() {
        // Nulls and empty elements are left out; ids and meta stay as set.
        return context().newJsonParser().setPrettyPrint(false);
    }

    /**
     * An OperationOutcome's issues (severity, code, diagnostics: all the error path sets) as FHIR
     * JSON without HAPI, for the answers given while HAPI's model is not loaded yet.
     */
    static String plainJson(OperationOutcome outcome) {
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        StringBuilder json = new StringBuilder("{\"resourceType\":\"OperationOutcome\",\"issue\":[");
        boolean first = true;
        for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
            json.append(first ? "" : ",").append('{');
            first = false;
            json.append("\"severity\":\"").append(issue.hasSeverity() ? issue.getSeverity().toCode() : "error").append('"');
            json.append(",\"code\":\"").append(issue.hasCode() ? issue.getCode().toCode() : "processing").append('"');
            if (issue.hasDiagnostics()) {
                json.append(",\"diagnostics\":\"").append(encoder.quoteAsString(issue.getDiagnostics())).append('"');
            }
            json.append('}');
        }
        return json.append("]}").toString();
    }
}
