package org.acme.healthcare.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AuditPartitionsTest {
    @Inject
    AuditPartitions partitions;

    private static Object sql(String query) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.getEntityManager().createNativeQuery(query).getSingleResult());
    }

    private static void exec(String statement) {
        QuarkusTransaction.requiringNew().run(() -> AuditEvent.getEntityManager().createNativeQuery(statement).executeUpdate());
    }

    private static boolean exists(String table) {
        return sql("select to_regclass('" + table + "') is not null").equals(Boolean.TRUE);
    }

    @Test
    void theTableIsPartitionedByMonthWithMonthsAhead() {
        assertEquals("p", sql("select c.relkind::text from pg_class c where c.relname = 'audit_events'"));
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        for (int i = 0; i <= 3; i++) {
            assertTrue(exists(AuditPartitions.name(now.plusMonths(i))), "partition " + i + " months ahead");
        }
    }

    @Test
    void partitionsAreCreatedAheadAndExpiredMonthsDropped() throws Exception {
        // An old month: seven years ago, beyond the default six years' retention, with an event in it.
        YearMonth old = YearMonth.now(ZoneOffset.UTC).minusYears(7);
        YearMonth keptMonth = YearMonth.now(ZoneOffset.UTC).minusYears(5);
        for (YearMonth m : List.of(old, keptMonth)) {
            exec("create table if not exists " + AuditPartitions.name(m) + " partition of audit_events for values from ('"
                    + m.atDay(1) + " 00:00:00+00') to ('" + m.plusMonths(1).atDay(1) + " 00:00:00+00')");
            exec("insert into audit_events (occurred_at, action, record_type, record_id, outcome) values ('"
                    + m.atDay(2) + " 12:00:00+00', 'read', 'patient', 1, 'success')");
        }
        // As of a date four months on, the service must add the months up to then + 3.
        Instant later = YearMonth.now(ZoneOffset.UTC).plusMonths(4).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        AuditPartitions.Result result = partitions.maintain(later);
        assertTrue(result.dropped().contains(AuditPartitions.name(old)), result.toString());
        assertFalse(exists(AuditPartitions.name(old)));
        assertTrue(exists(AuditPartitions.name(keptMonth)), "within retention");
        assertTrue(exists(AuditPartitions.name(YearMonth.now(ZoneOffset.UTC).plusMonths(7))));
        assertTrue(exists(AuditPartitions.name(YearMonth.now(ZoneOffset.UTC))), "the current month is never dropped");

        AuditPartitions.Result again = partitions.maintain(later);
        assertEquals(List.of(), again.created());
        assertEquals(List.of(), again.dropped());
    }

    @Test
    void concurrentRunsTakeTurnsAndNeitherFails() throws Exception {
        Instant ahead = YearMonth.now(ZoneOffset.UTC).plusMonths(12).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<AuditPartitions.Result>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(() -> partitions.maintain(ahead));
            }
            List<String> created = new ArrayList<>();
            for (Future<AuditPartitions.Result> f : pool.invokeAll(runs)) {
                created.addAll(f.get().created());
            }
            assertEquals(created.stream().distinct().count(), created.size(), "each partition created once: " + created);
            assertTrue(exists(AuditPartitions.name(YearMonth.now(ZoneOffset.UTC).plusMonths(15))));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eventsAreStoredAndFoundThroughThePartitions() {
        long id = ((Number) sql("insert into audit_events (action, record_type, record_id, outcome)"
                + " values ('read', 'patient', 424242, 'success') returning id")).longValue();
        assertEquals("audit_events_y" + YearMonth.now(ZoneOffset.UTC).toString().replace("-", "m"),
                sql("select tableoid::regclass::text from audit_events where id = " + id));
    }
}
