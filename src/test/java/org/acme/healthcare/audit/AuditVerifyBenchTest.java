package org.acme.healthcare.audit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.postgresql.PGConnection;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The verify throughput (bench/audit-verify.sh): seeds {@code bench.audit.events} events with
 * their MACs (COPY), lets the sealer chain them, then times {@link AuditVerifier#verify} over
 * all of them. Off unless {@code -Dbench.audit.events=N}; run it on a cluster of its own.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "bench.audit.events", matches = "\\d+")
class AuditVerifyBenchTest {
    @Inject
    AgroalDataSource db;
    @Inject
    AuditKey key;
    @Inject
    AuditSealer sealer;
    @Inject
    AuditVerifier verifier;

    @Test
    void verifyThroughput() throws Exception {
        int n = Integer.getInteger("bench.audit.events");
        AuditChain chain = key.chain();
        Instant base = Instant.now().truncatedTo(ChronoUnit.DAYS).plusSeconds(3600);
        if (base.isAfter(Instant.now())) {
            base = Instant.now().minusSeconds(7200).truncatedTo(ChronoUnit.MICROS);
        }
        long seedStart = System.nanoTime();
        try (Connection c = db.getConnection()) {
            long first;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "select setval('audit_events_id_seq', nextval('audit_events_id_seq') + " + n + ") - " + n)) {
                rs.next();
                first = rs.getLong(1);
            }
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            int chunk = 100_000;
            for (int from = 0; from < n; from += chunk) {
                StringBuilder sb = new StringBuilder(chunk * 300);
                for (int i = from; i < Math.min(n, from + chunk); i++) {
                    AuditChain.Row r = new AuditChain.Row();
                    r.id = first + i;
                    r.occurredAt = base.plusMillis(i / 4).truncatedTo(ChronoUnit.MICROS);
                    r.actorId = 1000L + i % 500;
                    boolean list = i % 5 == 0;
                    r.action = list ? "list" : "read";
                    r.recordType = "patient";
                    r.recordId = list ? null : (long) (i % 100_000);
                    if (list) {
                        r.recordIds = new Long[20];
                        for (int k = 0; k < 20; k++) {
                            r.recordIds[k] = (long) ((i + k * 37) % 100_000);
                        }
                    }
                    r.outcome = "success";
                    r.requestId = "6f1c1d2e-0000-4000-8000-" + String.format("%012d", i);
                    r.clientAddress = "10.0.0." + (i % 250);
                    r.organizationId = i % 3 == 0 ? null : (long) (i % 40);
                    r.via = i % 10 == 0 ? "fhir" : "rest";
                    byte[] mac = chain.mac(r);
                    sb.append(r.id).append('\t').append(r.occurredAt).append('\t').append(r.actorId).append('\t').append(r.action)
                            .append('\t').append(r.recordType).append('\t').append(r.recordId == null ? "\\N" : r.recordId)
                            .append('\t');
                    if (r.recordIds == null) {
                        sb.append("\\N");
                    } else {
                        sb.append('{');
                        for (int k = 0; k < r.recordIds.length; k++) {
                            sb.append(k == 0 ? "" : ",").append(r.recordIds[k]);
                        }
                        sb.append('}');
                    }
                    sb.append('\t').append(r.outcome).append('\t').append(r.requestId).append("\t\\N\t").append(r.clientAddress)
                            .append('\t').append(r.organizationId == null ? "\\N" : r.organizationId).append("\t\\N\t").append(r.via)
                            .append("\t\\\\x").append(HexFormat.of().formatHex(mac)).append('\n');
                }
                copy.copyIn("copy audit_events (id, occurred_at, actor_id, action, record_type, record_id, record_ids, outcome,"
                        + " request_id, client_request_id, client_address, organization_id, detail, via, mac) from stdin",
                        new StringReader(sb.toString()));
            }
            try (Statement st = c.createStatement()) {
                st.execute("vacuum analyze audit_events");
            }
        }
        double seedS = (System.nanoTime() - seedStart) / 1e9;
        long sealStart = System.nanoTime();
        // The scheduled sealer works too: wait for the sealer's position, whoever moves it.
        long last;
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select last_value from audit_events_id_seq")) {
            rs.next();
            last = rs.getLong(1);
        }
        long sealed;
        while (true) {
            sealer.sealNow();
            try (Connection c = db.getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select max_sealed from audit_seal_state")) {
                rs.next();
                if (rs.getLong(1) >= last) {
                    sealed = n;
                    break;
                }
            }
        }
        double sealS = (System.nanoTime() - sealStart) / 1e9;
        for (int run = 1; run <= 3; run++) {
            long t0 = System.nanoTime();
            AuditVerifier.Result v = verifier.verify(null, null);
            double s = (System.nanoTime() - t0) / 1e9;
            assertTrue(v.verified(), v.toString());
            System.out.printf("BENCH verify run=%d events=%d seconds=%.2f events_per_s=%.0f%n", run, v.events(), s, v.events() / s);
        }
        System.out.printf("BENCH seed events=%d seconds=%.1f; seal events=%d seconds=%.1f events_per_s=%.0f%n", n, seedS, sealed,
                sealS, sealed / sealS);
    }
}
