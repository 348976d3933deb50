package org.acme.healthcare.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** One HEALTHCARE_DB_TIMEOUT, each derived bound in its owner's unit. */
class DatabaseTimeoutsTest {
    @Test
    void derivesEveryBoundFromTheOneTimeout() {
        Map<String, String> p = DatabaseTimeouts.derived(Duration.ofSeconds(10));
        String jdbc = "quarkus.datasource.jdbc.additional-jdbc-properties.";
        assertEquals("-c statement_timeout=10000 -c lock_timeout=10000 -c idle_in_transaction_session_timeout=20000",
                p.get(jdbc + "options"));
        assertEquals("11", p.get(jdbc + "socketTimeout"));
        assertEquals("10", p.get(jdbc + "connectTimeout"));
        assertEquals("10S", p.get("quarkus.transaction-manager.default-transaction-timeout"));
        assertEquals("5000MS", p.get("quarkus.datasource.jdbc.acquisition-timeout"));
        assertEquals("10S", p.get("quarkus.datasource.jdbc.validation-query-timeout"));
    }

    @Test
    void subSecondTimeoutsRoundUpWhereOnlySecondsExist() {
        Map<String, String> p = DatabaseTimeouts.derived(Duration.ofMillis(1500));
        assertEquals("3", p.get("quarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout"));
        assertEquals("2S", p.get("quarkus.transaction-manager.default-transaction-timeout"));
        assertEquals("750MS", p.get("quarkus.datasource.jdbc.acquisition-timeout"));
    }
}
