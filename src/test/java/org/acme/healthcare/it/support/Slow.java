package org.acme.healthcare.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A packaged-jar test that starts its own processes: a throwaway PostgreSQL cluster, one or more
 * service jars, or a jar that must refuse to start. {@code ./mvnw verify} and {@code .ci/run}
 * run them; {@code ./mvnw verify -DexcludedGroups=slow} leaves them out for a quick local run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("slow")
public @interface Slow {
}
