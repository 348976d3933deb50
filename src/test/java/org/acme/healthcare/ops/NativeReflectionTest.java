package org.acme.healthcare.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native images only keep the reflection the build can see. A record returned inside a JAX-RS
 * {@code Response} (every *Response record, the Problem document, and the records nested in them)
 * is invisible to that analysis, so Jackson could not serialise it in a native executable unless
 * it is registered. This finds them all in the compiled classes, so a new one cannot be missed.
 */
class NativeReflectionTest {

    @Test
    void everyResponseRecordIsRegisteredForReflection() throws IOException, ClassNotFoundException {
        List<Class<?>> records = new ArrayList<>();
        Path classes = Path.of("target/classes");
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                Class<?> outer = type.getEnclosingClass() != null ? type.getEnclosingClass() : type;
                boolean response = outer.getSimpleName().endsWith("Response") || outer.getSimpleName().equals("Problem");
                if (type.isRecord() && response) {
                    records.add(type);
                }
            }
        }
        assertTrue(records.size() >= 10, "response records found: " + records);
        List<String> missing = records.stream().filter(r -> !r.isAnnotationPresent(RegisterForReflection.class))
                .map(Class::getName).sorted().toList();
        assertEquals(List.of(), missing, "add @RegisterForReflection");
    }
}
