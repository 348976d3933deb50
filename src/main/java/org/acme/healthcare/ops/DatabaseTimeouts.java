package org.acme.healthcare.ops;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * One setting, {@code healthcare.db.timeout} ({@code HEALTHCARE_DB_TIMEOUT}, default 10 s), turned
 * into every database bound that needs it, each in the unit its owner expects:
 * <ul>
 * <li>PostgreSQL {@code statement_timeout} and {@code lock_timeout} (the session {@code options}
 * of every connection): a statement or a lock wait is cancelled after the timeout (SQLState
 * 57014 / 55P03);</li>
 * <li>{@code idle_in_transaction_session_timeout} (twice the timeout): a transaction left open by
 * a stuck client is ended by the server;</li>
 * <li>pgjdbc's {@code socketTimeout} (timeout + 1 s, so a statement the server cancels is
 * answered first), {@code connectTimeout} and {@code loginTimeout}: a frozen server or network
 * breaks the connection instead of blocking a thread forever;</li>
 * <li>the JTA transaction timeout: a transaction older than the timeout is rolled back, never
 * committed half-way;</li>
 * <li>Agroal's acquisition timeout (half the timeout): waiting for a pooled connection is
 * bounded below the rest, so a saturated pool answers 503 fast; and its validation timeout
 * (checking a pooled connection before use, see {@code foreground-validation-interval}).</li>
 * </ul>
 * Registered in {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}. The ordinal is
 * below {@code application.properties} and the environment, so each derived property can still
 * be set on its own.
 */
public class DatabaseTimeouts implements ConfigSourceFactory {
    public static final String PROPERTY = "healthcare.db.timeout";
    public static final String DEFAULT = "10S";
    static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue(PROPERTY);
        String raw = value == null || value.getValue() == null || value.getValue().isBlank() ? DEFAULT : value.getValue();
        Duration timeout;
        try {
            timeout = DurationConverter.parseDuration(raw.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(PROPERTY + " (HEALTHCARE_DB_TIMEOUT) must be a duration such as 10S or 500MS");
        }
        if (timeout == null || timeout.toMillis() < 100) {
            throw new IllegalArgumentException(PROPERTY + " (HEALTHCARE_DB_TIMEOUT) must be at least 100MS");
        }
        return List.of(new PropertiesConfigSource(derived(timeout), "healthcare.db.timeout (DatabaseTimeouts)", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** The derived properties for one timeout (package-private for the unit test). */
    static Map<String, String> derived(Duration timeout) {
        long ms = timeout.toMillis();
        long seconds = Math.max(1, (ms + 999) / 1000);
        Map<String, String> p = new LinkedHashMap<>();
        String jdbc = "quarkus.datasource.jdbc.additional-jdbc-properties.";
        p.put(jdbc + "options", "-c statement_timeout=" + ms + " -c lock_timeout=" + ms
                + " -c idle_in_transaction_session_timeout=" + (2 * ms));
        p.put(jdbc + "socketTimeout", String.valueOf(seconds + 1));
        p.put(jdbc + "connectTimeout", String.valueOf(seconds));
        p.put(jdbc + "loginTimeout", String.valueOf(seconds));
        p.put("quarkus.transaction-manager.default-transaction-timeout", seconds + "S");
        p.put("quarkus.datasource.jdbc.acquisition-timeout", Math.max(100, ms / 2) + "MS");
        p.put("quarkus.datasource.jdbc.validation-query-timeout", seconds + "S");
        return p;
    }
}
