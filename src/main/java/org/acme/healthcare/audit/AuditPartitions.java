package org.acme.healthcare.audit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;

/**
 * Keeps the monthly partitions of {@code audit_events} (Flyway V8): creates the current month's
 * and {@code months-ahead} more, and drops every month that lies wholly before now minus
 * {@code HEALTHCARE_AUDIT_RETENTION} (so an event is kept at least that long, at most a month
 * longer). Runs at start-up and every six hours. Several replicas may run it at the same time:
 * each run takes one PostgreSQL advisory lock for its transaction, so runs take turns, and every
 * step is idempotent ({@code create ... if not exists}, drops only of partitions that are there),
 * so the second run finds nothing left to do. A run that cannot get its locks within a few
 * seconds (a long query on the table) gives up and leaves everything as it was; the next run
 * tries again, and partitions exist months ahead, so writes never wait for it. Each month's
 * seals ({@code audit_seals}, V14: its part of the tamper-evident chain) and the ids of its large
 * events ({@code audit_event_records}, V19) live in partitions of their own, created and dropped
 * with the month's events.
 */
@ApplicationScoped
public class AuditPartitions {
    private static final Logger LOG = Logger.getLogger(AuditPartitions.class);
    /** The advisory lock key of this job (any constant that no other job uses). */
    static final long LOCK_KEY = 7_261_100_001L;
    static final Pattern NAME = Pattern.compile("audit_events_y(\\d{4})m(\\d{2})");
    private static final Period MIN_RETENTION = Period.ofMonths(1);

    private final AgroalDataSource dataSource;
    private final Period retention;
    private final int monthsAhead;

    AuditPartitions(AgroalDataSource dataSource, AuditConfig config) {
        this.dataSource = dataSource;
        this.retention = config.retention();
        this.monthsAhead = config.monthsAhead();
    }

    /** What one run changed. */
    public record Result(List<String> created, List<String> dropped) {
    }

    /** Refuses to start with a retention that could drop current events; then runs once. */
    void onStart(@Observes StartupEvent event) {
        if (retention.isNegative() || LocalDate.EPOCH.plus(retention).isBefore(LocalDate.EPOCH.plus(MIN_RETENTION))) {
            throw new IllegalStateException("healthcare.audit.retention (HEALTHCARE_AUDIT_RETENTION) must be at least P1M");
        }
        runLogged();
    }

    @Scheduled(every = "6h", delayed = "6h", concurrentExecution = ConcurrentExecution.SKIP)
    void scheduled() {
        runLogged();
    }

    private void runLogged() {
        try {
            Result result = maintain(Instant.now());
            if (!result.created().isEmpty() || !result.dropped().isEmpty()) {
                LOG.infof("Audit partitions created %s, dropped (older than %s) %s", result.created(), retention,
                        result.dropped());
            }
        } catch (SQLException e) {
            LOG.warnf("Audit partition maintenance did not run (SQLState %s); it will be retried", e.getSQLState());
        }
    }

    /** One run as of {@code now}, in one transaction. */
    public Result maintain(Instant now) throws SQLException {
        YearMonth current = YearMonth.from(now.atZone(ZoneOffset.UTC));
        Instant cutoff = now.atZone(ZoneOffset.UTC).minus(retention).toInstant();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                st.execute("set local lock_timeout = '5s'");
                st.execute("select pg_advisory_xact_lock(" + LOCK_KEY + ")");
                List<String> existing = partitions(st);
                List<String> created = new ArrayList<>();
                for (int i = 0; i <= monthsAhead; i++) {
                    YearMonth month = current.plusMonths(i);
                    String name = name(month);
                    if (!existing.contains(name)) {
                        st.execute("create table if not exists " + name + " partition of audit_events for values from ('"
                                + bound(month) + "') to ('" + bound(month.plusMonths(1)) + "')");
                        created.add(name);
                    }
                    st.execute(createSeals(month));
                    st.execute(createRecords(month));
                }
                List<String> dropped = new ArrayList<>();
                for (String name : existing) {
                    Matcher m = NAME.matcher(name);
                    if (m.matches()) {
                        YearMonth month = YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                        if (!end.isAfter(cutoff) && month.isBefore(current)) {
                            // The month's events and its chain go together: the other months stay verifiable.
                            st.execute("drop table if exists " + name);
                            st.execute("drop table if exists " + sealName(month));
                            st.execute("drop table if exists " + recordsName(month));
                            dropped.add(name);
                        }
                    }
                }
                c.commit();
                return new Result(created, dropped);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private static List<String> partitions(Statement st) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                + " where i.inhparent = 'audit_events'::regclass")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    static String name(YearMonth month) {
        return String.format("audit_events_y%04dm%02d", month.getYear(), month.getMonthValue());
    }

    /** The partition of {@code audit_seals} that holds a month's chain (V14). */
    static String sealName(YearMonth month) {
        return String.format("audit_seals_y%04dm%02d", month.getYear(), month.getMonthValue());
    }

    static String createSeals(YearMonth month) {
        return "create table if not exists " + sealName(month) + " partition of audit_seals for values from ('" + month.atDay(1)
                + "') to ('" + month.plusMonths(1).atDay(1) + "')";
    }

    /** The partition of {@code audit_event_records} that holds the ids of a month's large events (V19). */
    static String recordsName(YearMonth month) {
        return String.format("audit_event_records_y%04dm%02d", month.getYear(), month.getMonthValue());
    }

    static String createRecords(YearMonth month) {
        return "create table if not exists " + recordsName(month) + " partition of audit_event_records for values from ('"
                + bound(month) + "') to ('" + bound(month.plusMonths(1)) + "')";
    }

    private static String bound(YearMonth month) {
        return month.atDay(1) + " 00:00:00+00";
    }
}
