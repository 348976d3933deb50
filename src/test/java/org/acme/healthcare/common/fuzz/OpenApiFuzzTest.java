package org.acme.healthcare.common.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.acme.healthcare.common.fuzz.Fixtures.Auth;
import org.acme.healthcare.common.fuzz.Operations.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Bad input never hurts: a sweep driven by the service's own OpenAPI document, read at run time,
 * so a new operation is fuzzed without a change here. One dynamic test per operation, named as
 * the operation ({@code GET /api/patients/{id}}), sends every single-mutation variant of it once
 * ({@link Variants}), then its share of random stacks of mutations; one per path sends the
 * methods the path does not support. Every answer is checked ({@link Checks}): below 500, and
 * every 4xx/5xx a clean problem document that leaks and echoes nothing.
 *
 * <p>Knobs (system properties, passed through by {@code ./mvnw test}):
 * <ul>
 * <li>{@code -Dfuzz.operation='GET /api/patients/{id}'} runs that operation's dynamic test only;
 * a part of a name ({@code /fhir/}, {@code unsupported methods}) runs every test whose name
 * contains it. An operation sends the same requests alone as in the whole run.</li>
 * <li>{@code -Dfuzz.requests=<n>}: the long random run: random stacks until the run has sent at
 * least n requests (default 2000, which the sweep alone exceeds: then 300 random ones).</li>
 * <li>{@code -Dfuzz.seed=<long>} replays a run (the seed is printed).</li>
 * </ul>
 * The run writes {@code target/fuzz-report.txt} (every failure) and {@code target/fuzz-trace.txt}
 * (every request).
 */
@QuarkusTest
class OpenApiFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DEFAULT_SEED = 20261121L;
    private static final int DEFAULT_REQUESTS = 2000;
    private static final int MIN_RANDOM_REQUESTS = 300;
    /** What the README promises for {@code ./mvnw verify}. */
    private static final int PROMISED_REQUESTS = 2000;
    private static final Path REPORT = Path.of("target", "fuzz-report.txt");
    private static final Path TRACE = Path.of("target", "fuzz-trace.txt");

    @TestHTTPResource("/")
    URL base;

    @TestFactory
    Stream<DynamicTest> everyOperationSurvivesMalformedInput(TestReporter reporter) throws Exception {
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        int target = Integer.getInteger("fuzz.requests", DEFAULT_REQUESTS);
        String only = System.getProperty("fuzz.operation", "").trim();
        System.out.println("fuzz: seed=" + seed + " (replay with -Dfuzz.seed=" + seed + "), target requests=" + target);
        Checks checks = new Checks(base.toString().replaceAll("/+$", ""));

        String doc = checks.get("/q/openapi?format=json");
        Files.createDirectories(TRACE.getParent());
        Files.writeString(Path.of("target", "fuzz-openapi.json"), doc, UTF_8);
        List<Op> ops = Operations.read(JSON.readTree(doc));
        assertTrue(ops.size() >= 10, "the OpenAPI document lists the API's operations: " + ops);
        System.out.println("fuzz: " + ops.size() + " operations from the OpenAPI document: " + ops.stream().map(Op::label).toList());

        Fixtures fx = new Fixtures(new Random(seed));
        Map<String, List<Req>> probes = new Variants(fx, ops, new Random(seed)).methodProbes(ops);

        // The sweep's size is known before anything is sent (a probe for the token plus every
        // variant, per operation; the method probes), so each operation's share of the random
        // stacks is too, and does not depend on which operations run.
        int sweep = probes.values().stream().mapToInt(List::size).sum();
        Variants sizing = new Variants(fx, ops, new Random(seed));
        for (Op op : ops) {
            sweep += 1 + sizing.variants(op, fx.userAuth).size();
        }
        int random = Math.max(MIN_RANDOM_REQUESTS, target - sweep);
        System.out.println("fuzz: " + sweep + " sweep requests, " + random + " random");

        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            int share = random / ops.size() + (i < random % ops.size() ? 1 : 0);
            tests.add(dynamicTest(op.label(), () -> fuzz(checks, fx, ops, op, seed, share)));
        }
        probes.forEach((template, reqs) -> tests.add(dynamicTest("unsupported methods on " + template, () -> {
            Checks.Findings f = checks.start("unsupported methods on " + template);
            reqs.forEach(f::send);
            System.out.println("fuzz: " + f.summary());
            f.assertNone();
        })));

        List<DynamicTest> selected = select(tests, only);
        boolean whole = selected.size() == tests.size();
        selected.add(dynamicTest("the run: report and request count", () -> {
            String summary = "fuzz: " + checks.requests + " requests in " + (selected.size() - 1) + " dynamic tests, "
                    + checks.failures.size() + " failures, seed=" + seed + ", statuses=" + checks.statuses
                    + ", connections retried=" + checks.droppedConnections;
            System.out.println(summary);
            reporter.publishEntry("fuzz", summary);
            Files.writeString(TRACE, checks.trace, UTF_8);
            Files.writeString(REPORT, summary + "\n" + String.join("\n", checks.failures) + "\n", UTF_8);
            if (whole) {
                assertTrue(checks.requests >= Math.max(target, PROMISED_REQUESTS),
                        "the run sent " + checks.requests + " requests, fewer than " + Math.max(target, PROMISED_REQUESTS));
            }
        }));
        return selected.stream();
    }

    /** One operation: the token probe, the sweep of its variants, its share of random stacks. */
    private void fuzz(Checks checks, Fixtures fx, List<Op> ops, Op op, long seed, int randomShare) throws IOException {
        // Its own random source: the same requests whether it runs alone or in the whole run.
        Variants variants = new Variants(fx, ops, new Random(seed ^ op.label().hashCode()));
        Checks.Findings f = checks.start(op.label());
        try {
            // The token that gets past authorization, so that the deep validation paths run.
            Auth deep = f.send(variants.baseline(op, fx.userAuth, "probe:user")) == 403 ? fx.adminAuth : fx.userAuth;
            List<Supplier<Req>> pool = variants.variants(op, deep);
            for (Supplier<Req> s : pool) {
                f.send(s.get());
            }
            for (int i = 0; i < randomShare; i++) {
                f.send(variants.stacked(pool));
            }
        } catch (AssertionError | RuntimeException e) {
            // A fixture the variant needed could not be made: the trace shows how far it got.
            Files.writeString(TRACE, checks.trace, UTF_8);
            throw e;
        }
        System.out.println("fuzz: " + f.summary());
        f.assertNone();
    }

    /**
     * The tests {@code -Dfuzz.operation} names: the one whose name it is, else every one whose
     * name contains it; all when it is empty. A name that matches nothing fails, listing the names.
     */
    private static List<DynamicTest> select(List<DynamicTest> tests, String only) {
        if (only.isEmpty()) {
            return new ArrayList<>(tests);
        }
        List<DynamicTest> exact = tests.stream().filter(t -> t.getDisplayName().equals(only)).toList();
        List<DynamicTest> chosen = new ArrayList<>(!exact.isEmpty() ? exact
                : tests.stream().filter(t -> t.getDisplayName().contains(only)).toList());
        assertTrue(!chosen.isEmpty(), "-Dfuzz.operation=" + only + " names no test; the names are: "
                + tests.stream().map(DynamicTest::getDisplayName).toList());
        return chosen;
    }
}
