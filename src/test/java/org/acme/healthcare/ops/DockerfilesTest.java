package org.acme.healthcare.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * No container engine runs here, so the Dockerfiles are checked as text: they copy what the
 * Quarkus build really produces, they run as a non-root user, and the JVM one caps its memory.
 * (That the copied paths exist after packaging is {@link PackagedLayoutIT}'s job.)
 */
class DockerfilesTest {
    static final Path DOCKER = Path.of("src/main/docker");

    /** One Dockerfile instruction: keyword and its arguments, continuation lines joined. */
    record Instruction(String keyword, String args) {
    }

    static List<Instruction> parse(Path file) throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString();
            int space = text.indexOf(' ');
            out.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
            current.setLength(0);
        }
        return out;
    }

    static List<String> all(List<Instruction> instructions, String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    static String last(List<Instruction> instructions, String keyword) {
        List<String> found = all(instructions, keyword);
        assertFalse(found.isEmpty(), "no " + keyword);
        return found.get(found.size() - 1);
    }

    /** The source paths of every COPY (the last argument is the destination; flags are skipped). */
    static List<String> copySources(List<Instruction> instructions) {
        List<String> sources = new ArrayList<>();
        for (String args : all(instructions, "COPY")) {
            List<String> words = new ArrayList<>(List.of(args.split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            sources.addAll(words.subList(0, words.size() - 1));
        }
        return sources;
    }

    static void assertRunsAsNonRoot(List<Instruction> instructions) {
        String user = last(instructions, "USER");
        assertTrue(user.matches("[1-9][0-9]*(:[0-9]+)?"),
                "the last USER must be a numeric non-root uid (Kubernetes' runAsNonRoot can only verify numbers): " + user);
        int lastUser = instructions.lastIndexOf(instructions.stream().filter(i -> i.keyword().equals("USER"))
                .reduce((a, b) -> b).orElseThrow());
        int entry = instructions.indexOf(instructions.stream().filter(i -> i.keyword().equals("ENTRYPOINT"))
                .findFirst().orElseThrow());
        assertTrue(lastUser < entry, "USER must come before ENTRYPOINT");
    }

    @Test
    void jvmImageCopiesTheFastJarLayoutAndRunsAsNonRoot() throws IOException {
        List<Instruction> jvm = parse(DOCKER.resolve("Dockerfile.jvm"));
        assertEquals(List.of("target/quarkus-app/lib/", "target/quarkus-app/*.jar", "target/quarkus-app/app.ao[t]",
                "target/quarkus-app/app/", "target/quarkus-app/quarkus/"), copySources(jvm));
        for (String copy : all(jvm, "COPY")) {
            assertTrue(copy.contains("--chown=185"), "files must belong to the runtime user: " + copy);
        }
        assertRunsAsNonRoot(jvm);
        assertEquals("185", last(jvm, "USER"));
        String env = String.join(" ", all(jvm, "ENV"));
        assertTrue(env.contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\""), env);
        assertTrue(env.contains("-Dquarkus.http.host=0.0.0.0"), "must listen beyond the container's loopback");
        assertTrue(last(jvm, "EXPOSE").equals("8080"));
    }

    @Test
    void jvmImageCapsTheHeapForASmallContainer() throws IOException {
        String env = String.join(" ", all(parse(DOCKER.resolve("Dockerfile.jvm")), "ENV"));
        Matcher xmx = Pattern.compile("-Xmx(\\d+)m").matcher(env);
        assertTrue(xmx.find(), "JAVA_OPTS_APPEND must set -Xmx");
        int heap = Integer.parseInt(xmx.group(1));
        assertTrue(heap >= 64 && heap <= 160, "heap of " + heap + " MiB does not fit a 256 MB RSS budget");
        assertTrue(env.contains("-XX:MaxMetaspaceSize="), "metaspace must be capped");
        assertTrue(env.contains("-XX:+ExitOnOutOfMemoryError"), "an OOM must end the process so it is restarted");
    }

    /**
     * One set of JVM settings: the benchmark, the ops checks and the packaged-jar tests run the jar
     * with what src/main/docker/jvm-flags.sh prints, which is the image's JAVA_OPTS_APPEND (less
     * the listen address), and none of them writes a heap, GC or JIT flag of its own.
     */
    @Test
    void benchmarkOpsChecksAndJarTestsRunTheImageFlags() throws IOException, InterruptedException {
        String env = String.join(" ", all(parse(DOCKER.resolve("Dockerfile.jvm")), "ENV"));
        Matcher opts = Pattern.compile("JAVA_OPTS_APPEND=\"([^\"]*)\"").matcher(env);
        assertTrue(opts.find(), env);
        List<String> image = new ArrayList<>(List.of(opts.group(1).split("\\s+")));
        image.removeIf(f -> f.startsWith("-Dquarkus.http.host="));
        image.removeIf(f -> f.startsWith("-XX:AOTCache="));   // printed only when the cache was built
        Process p = new ProcessBuilder("bash", "src/main/docker/jvm-flags.sh", "target/no-such-app").start();
        String printed = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor());
        assertEquals(image, List.of(printed.split("\\s+")), "jvm-flags.sh must print the image's flags");
        Matcher arena = Pattern.compile("MALLOC_ARENA_MAX=\"?(\\d+)").matcher(env);
        assertTrue(arena.find(), "the image must cap glibc's malloc arenas, as the benchmark measured it");

        Pattern ownFlag = Pattern.compile("-Xmx\\d|-Xms\\d|-XX:\\+Use\\w*GC|-XX:TieredStopAtLevel|-XX:ReservedCodeCacheSize");
        for (String user : List.of("bench/run.sh", "ops/lib.sh", "src/test/java/org/acme/healthcare/it/support/ServiceJar.java")) {
            String text = Files.readString(Path.of(user));
            assertTrue(text.contains("src/main/docker/jvm-flags.sh"), user + " must take its JVM flags from jvm-flags.sh");
            for (String line : text.lines().toList()) {
                // bench/run.sh keeps the image defaults of run-java.sh as a named alternative.
                if (ownFlag.matcher(line).find() && !line.startsWith("CONTAINER_DEFAULT_OPTS=")) {
                    throw new AssertionError(user + " sets a JVM flag of its own: " + line.strip());
                }
            }
        }
    }

    /**
     * The AOT cache is recorded (pom.xml, profile aot) with the image's flags: a cache recorded
     * under another collector or object-header layout is refused at start. Only the metaspace
     * cap (under which the JVM cannot write the cache) and the cache flag itself differ.
     */
    @Test
    void theAotTrainingRunUsesTheImageFlags() throws IOException {
        String env = String.join(" ", all(parse(DOCKER.resolve("Dockerfile.jvm")), "ENV"));
        Matcher opts = Pattern.compile("JAVA_OPTS_APPEND=\"([^\"]*)\"").matcher(env);
        assertTrue(opts.find(), env);
        List<String> image = new ArrayList<>(List.of(opts.group(1).split("\\s+")));
        image.removeIf(f -> f.startsWith("-D") || f.startsWith("-XX:MaxMetaspaceSize=") || f.startsWith("-XX:AOTCache="));
        Matcher training = Pattern.compile("<aot.training.jvm-flags>([^<]*)</aot.training.jvm-flags>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(training.find(), "pom.xml must define aot.training.jvm-flags");
        assertEquals(image, List.of(training.group(1).strip().split("\\s+")));
        assertTrue(opts.group(1).contains("-XX:AOTCache=/deployments/app.aot"), "the image must use the cache it copies");
        assertTrue(all(parse(DOCKER.resolve("Dockerfile.jvm")), "COPY").stream().anyMatch(c -> c.contains("app.ao[t]")),
                "the image must copy the cache when the build made one");
    }

    @Test
    void nativeImagesCopyTheRunnerAndRunAsNonRoot() throws IOException {
        for (String name : List.of("Dockerfile.native", "Dockerfile.native-micro")) {
            List<Instruction> file = parse(DOCKER.resolve(name));
            assertEquals(List.of("target/*-runner"), copySources(file), name);
            assertTrue(all(file, "COPY").get(0).endsWith("/work/application"), name);
            assertRunsAsNonRoot(file);
            assertTrue(last(file, "ENTRYPOINT").contains("\"./application\""), name);
            assertTrue(last(file, "ENTRYPOINT").contains("-Dquarkus.http.host=0.0.0.0"), name);
        }
    }

    @Test
    void dockerignoreSendsOnlyTheBuildOutput() throws IOException {
        List<String> rules = Files.readAllLines(Path.of(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals("*", rules.get(0), "everything is excluded first (sources, .local-postgres, keys, node_modules)");
        assertTrue(rules.contains("!target/quarkus-app/*"), "the JVM image needs target/quarkus-app");
        assertTrue(rules.contains("!target/*-runner"), "the native images need the runner");
    }
}
