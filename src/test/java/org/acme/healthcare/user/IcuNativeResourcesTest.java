package org.acme.healthcare.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

import org.junit.jupiter.api.Test;

import com.ibm.icu.text.SpoofChecker;

/**
 * A native image holds only the resources it is told to. ICU4J reads its data (the confusables
 * table, the normalisation data) as class-path resources when {@link Emails#skeleton} first runs,
 * so every resource it reads must match {@code quarkus.native.resources.includes}, or look-alike
 * emails would fail in a native executable only. This runs ICU4J in a class loader of its own that
 * records what it reads, and checks each name against the configured patterns.
 */
class IcuNativeResourcesTest {

    /** Loads ICU4J's classes itself (parent: the platform loader), and notes every resource asked for. */
    static final class RecordingLoader extends URLClassLoader {
        final Set<String> read = new ConcurrentSkipListSet<>();

        RecordingLoader(URL icuJar) {
            super(new URL[] { icuJar }, ClassLoader.getPlatformClassLoader());
        }

        @Override
        public URL getResource(String name) {
            URL url = super.getResource(name);
            if (url != null) {
                read.add(name);
            }
            return url;
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            InputStream in = super.getResourceAsStream(name);
            if (in != null) {
                read.add(name);
            }
            return in;
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            Enumeration<URL> urls = super.getResources(name);
            if (urls.hasMoreElements()) {
                read.add(name);
            }
            return urls;
        }
    }

    @Test
    void everyResourceIcuReadsForASkeletonIsInTheNativeImage() throws Exception {
        URL icuJar = SpoofChecker.class.getProtectionDomain().getCodeSource().getLocation();
        Set<String> read;
        try (RecordingLoader loader = new RecordingLoader(icuJar)) {
            Class<?> builder = Class.forName("com.ibm.icu.text.SpoofChecker$Builder", true, loader);
            Object checker = builder.getMethod("build").invoke(builder.getConstructor().newInstance());
            Object skeleton = checker.getClass().getMethod("getSkeleton", CharSequence.class)
                    .invoke(checker, "\u0430lice@\uFF45xample.org");
            assertEquals("alice@exarnple.org", skeleton, "ICU4J ran in the recording loader");
            read = loader.read;
        }
        assertFalse(read.isEmpty(), "ICU4J read its data through the recording loader");

        var includes = Arrays.stream(nativeIncludes().split(",")).map(String::strip)
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
        List<String> missing = read.stream().filter(name -> !name.endsWith(".class"))
                .filter(name -> includes.stream().noneMatch(m -> m.matches(Path.of(name)))).toList();
        assertEquals(List.of(), missing, "add to quarkus.native.resources.includes; ICU4J read " + read);
    }

    private static String nativeIncludes() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties.getProperty("quarkus.native.resources.includes", "");
    }
}
