package org.acme.healthcare.ops;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.agroal.api.AgroalDataSource;

/**
 * Readiness covers the database and answers fast even when the database does not: the check
 * (a fresh connection, validated, as Quarkus' own Agroal check does; that one is switched off
 * with {@code quarkus.datasource.health.enabled=false}) runs on a thread of its own and is given
 * {@code healthcare.db.health-timeout} (2 s). A check still running from an earlier probe is
 * waited for, not started again, so a frozen database never piles up threads; DOWN until it
 * answers.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {
    static final String NAME = "Database connections health check";
    private final AgroalDataSource dataSource;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "database-readiness");
        t.setDaemon(true);
        return t;
    });
    private CompletableFuture<Boolean> running;

    DatabaseReadiness(AgroalDataSource dataSource, OperationsConfig config) {
        this.dataSource = dataSource;
        this.timeout = config.db().healthTimeout();
    }

    @Override
    public HealthCheckResponse call() {
        CompletableFuture<Boolean> check = current();
        String outcome;
        try {
            outcome = check.get(timeout.toMillis(), TimeUnit.MILLISECONDS) ? null : "validation failed";
        } catch (TimeoutException e) {
            outcome = "no answer within " + timeout.toMillis() + " ms";
        } catch (ExecutionException e) {
            outcome = "connection failed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "interrupted";
        }
        var response = HealthCheckResponse.named(NAME);
        return outcome == null ? response.up().withData("<default>", "UP").build()
                : response.down().withData("<default>", outcome).build();
    }

    private synchronized CompletableFuture<Boolean> current() {
        if (running == null || running.isDone()) {
            running = CompletableFuture.supplyAsync(this::validate, executor);
        }
        return running;
    }

    private boolean validate() {
        try {
            return dataSource.isHealthy(true);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
