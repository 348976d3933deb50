package org.acme.healthcare.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;
import java.sql.SQLException;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.UriInfo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The catch-all answers 500 with a correlation id and nothing else; known causes deeper in the chain still map.
 * A {@code @QuarkusTest}: the constraint names are the features' beans ({@link ApiException.Constraints}).
 */
@QuarkusTest
class ProblemMappersTest {
    private final ProblemMappers mappers = new ProblemMappers();

    private static UriInfo path(String path) {
        return (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[] { UriInfo.class },
                (proxy, method, args) -> "getPath".equals(method.getName()) ? path : null);
    }

    @Test
    void unexpectedFailureIs500WithOnlyACorrelationId() {
        var response = mappers.unexpected(new IllegalStateException("select * from patients where disease='x'"),
                path("/api/patients/1"));
        Problem problem = (Problem) response.getEntity();
        assertEquals(500, response.getStatus());
        assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString());
        assertNotNull(problem.correlationId());
        assertNull(problem.errors());
        assertFalse(problem.detail().contains("select"));
        assertFalse(problem.title().contains("Exception"));
    }

    @Test
    void wrappedApiExceptionKeepsItsStatus() {
        var response = mappers.unexpected(new RuntimeException(ApiException.conflict("taken")), path("/x"));
        assertEquals(409, response.getStatus());
    }

    @Test
    void dataExceptionFromTheDatabaseIs400() {
        var response = mappers.unexpected(new PersistenceException(new SQLException("invalid byte sequence", "22021")),
                path("/x"));
        assertEquals(400, response.getStatus());
        assertFalse(((Problem) response.getEntity()).detail().contains("byte sequence"));
    }

    @Test
    void unreachableDatabaseIs503WithRetryAfter() {
        var response = mappers.unexpected(new PersistenceException(new SQLException("Connection refused", "08001")),
                path("/api/patients"));
        assertEquals(503, response.getStatus());
        assertEquals("5", String.valueOf(response.getHeaderString("Retry-After")));
        assertFalse(((Problem) response.getEntity()).detail().contains("refused"));
    }

    @ParameterizedTest(name = "SQLState {0} is 503")
    @ValueSource(strings = { "57014", "55P03", "57P01", "57P02", "57P03", "53300", "53200", "08006", "08003" })
    void temporaryDatabaseFailuresAre503BySqlState(String state) {
        var response = mappers.unexpected(new PersistenceException(new SQLException("whatever the text", state)),
                path("/api/patients/1"));
        assertEquals(503, response.getStatus());
        assertEquals("5", String.valueOf(response.getHeaderString("Retry-After")));
        assertEquals("urn:problem-type:healthcare:unavailable", ((Problem) response.getEntity()).type());
    }

    @Test
    void poolAcquisitionTimeoutIs503ByItsOriginNotItsText() {
        // What Agroal throws: a bare SQLException from its pool, no SQLState, whatever the message says.
        SQLException pool = new SQLException("Sorry, acquisition timeout!");
        pool.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("io.agroal.pool.ConnectionPool", "handlerFromSharedCache", "ConnectionPool.java", 1) });
        var response = mappers.unexpected(new PersistenceException("Unable to acquire JDBC Connection", pool),
                path("/api/doctors"));
        assertEquals(503, response.getStatus());
        assertNotNull(response.getHeaderString("Retry-After"));

        // The same words from anywhere else are not a pool timeout.
        var other = mappers.unexpected(new PersistenceException(new SQLException("Acquisition timeout")), path("/x"));
        assertEquals(500, other.getStatus());
    }

    /**
     * Agroal's other acquisition timeout: waiting for a connection the pool is still opening, it
     * wraps the wait's TimeoutException (seen under load in bench/results/2026-12-07-writes.md:
     * answered 500 before). Any other cause from the pool is not a timeout.
     */
    @Test
    void poolAcquisitionTimeoutWaitingForANewConnectionIs503() {
        StackTraceElement fromPool = new StackTraceElement("io.agroal.pool.ConnectionPool", "handlerFromSharedCache", "ConnectionPool.java", 1);
        SQLException otherCause = new SQLException("Acquisition timeout while waiting for new connection", new IllegalStateException());
        otherCause.setStackTrace(new StackTraceElement[] { fromPool });
        assertEquals(500, mappers.unexpected(new PersistenceException("Unable to acquire JDBC Connection", otherCause),
                path("/api/patients")).getStatus());

        SQLException waited = new SQLException("Acquisition timeout while waiting for new connection",
                new java.util.concurrent.TimeoutException());
        waited.setStackTrace(new StackTraceElement[] { fromPool });
        var response = mappers.unexpected(new PersistenceException("Unable to acquire JDBC Connection", waited),
                path("/api/patients"));
        assertEquals(503, response.getStatus());
        assertNotNull(response.getHeaderString("Retry-After"));
    }

    @Test
    void transactionRolledBackByTheTransactionManagerIs503() {
        var response = mappers.unexpected(new RuntimeException(new jakarta.transaction.RollbackException("ARJUNA")),
                path("/api/patients"));
        assertEquals(503, response.getStatus());
    }

    @Test
    void uniqueViolationMapsByConstraintName() {
        var cause = new org.hibernate.exception.ConstraintViolationException("dup", new SQLException("dup", "23505"),
                "mappings_patient_doctor_uk");
        var response = mappers.unexpected(new PersistenceException(cause), path("/api/mappings"));
        assertEquals(409, response.getStatus());
        assertEquals("This doctor is already assigned to this patient.", ((Problem) response.getEntity()).detail());
    }
}
