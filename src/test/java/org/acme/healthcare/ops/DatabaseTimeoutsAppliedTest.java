package org.acme.healthcare.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/** The derived bounds reach every pooled connection and the transaction manager. */
@QuarkusTest
class DatabaseTimeoutsAppliedTest {
    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "quarkus.transaction-manager.default-transaction-timeout")
    java.time.Duration transactionTimeout;

    @Test
    void everyConnectionCarriesTheStatementAndLockTimeouts() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertEquals("10s", show(s, "statement_timeout"));
            assertEquals("10s", show(s, "lock_timeout"));
            assertEquals("20s", show(s, "idle_in_transaction_session_timeout"));
        }
        assertEquals(java.time.Duration.ofSeconds(10), transactionTimeout);
        assertEquals(java.time.Duration.ofSeconds(5), dataSource.getConfiguration().connectionPoolConfiguration().acquisitionTimeout());
    }

    private static String show(Statement s, String setting) throws Exception {
        try (ResultSet rs = s.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
