package org.acme.healthcare.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * After {@code package}: every path Dockerfile.jvm copies exists in what the build produced,
 * so {@code docker build} would find it (run by failsafe, hence after packaging).
 */
class PackagedLayoutIT {

    @Test
    void everyPathTheJvmImageCopiesExists() throws IOException {
        var jvm = DockerfilesTest.parse(DockerfilesTest.DOCKER.resolve("Dockerfile.jvm"));
        List<String> sources = DockerfilesTest.copySources(jvm);
        assertFalse(sources.isEmpty());
        for (String source : sources) {
            // app.ao[t], the AOT cache, exists only after the `aot` profile's training run: a
            // bracket pattern beside a source that always matches lets docker copy it when it is there.
            if (source.contains("[")) {
                continue;
            }
            assertFalse(matches(source).isEmpty(), "nothing in the build output matches " + source);
        }
        assertTrue(Files.isRegularFile(Path.of("target/quarkus-app/quarkus-run.jar")),
                "JAVA_APP_JAR names /deployments/quarkus-run.jar");
        assertTrue(Files.isDirectory(Path.of("target/quarkus-app/lib/main")));
    }

    /** Files or directories matching a COPY source (a trailing glob in the last segment only). */
    static List<Path> matches(String source) throws IOException {
        String path = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        int slash = path.lastIndexOf('/');
        Path dir = Path.of(path.substring(0, slash));
        String glob = path.substring(slash + 1);
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob)) {
            entries.forEach(found::add);
        }
        return found;
    }
}
