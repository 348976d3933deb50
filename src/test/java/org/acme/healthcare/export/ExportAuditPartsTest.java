package org.acme.healthcare.export;

import static org.acme.healthcare.export.ExportSupport.kickOff;
import static org.acme.healthcare.export.ExportSupport.manifest;
import static org.acme.healthcare.export.ExportSupport.patients;
import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.audit.AuditSealer;
import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.OrgRows;
import org.acme.healthcare.support.Tamper;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Issue 21: an export's one audit event keeps the ids of the patients it held in parts of 10,000
 * (audit_event_records, V19), built by PostgreSQL rather than gathered in the heap (an export of
 * 1,000,000 patients ended the JVM that way). The event is found by every patient it held, its MAC
 * covers every part, and a part changed, deleted or added by hand fails verification.
 */
@QuarkusTest
class ExportAuditPartsTest {
    /** More than two parts: the third is partial. */
    private static final int PATIENTS = 20_000 + 7;

    @Inject
    AgroalDataSource db;
    @Inject
    AuditLog audit;
    @Inject
    AuditSealer sealer;

    private TestUser platformAdmin;

    @Test
    void aLargeExportsEventHoldsEveryPatientInPartsThatVerificationChecks() throws Exception {
        Instant from = sealed();
        TestUser owner = newUser();
        List<Long> ids = patients(db, owner, PATIENTS);
        String status = kickOff(owner, "/fhir/Patient/$export?_type=Patient");
        manifest(owner, status);
        long job = ExportSupport.job(status);

        ExportSupport.ExportAudit event = ExportSupport.audit(db, job);
        assertEquals(ids, event.held(), "every patient once, ascending");
        assertEquals(PATIENTS, event.recordCount());
        assertNull(event.recordIds(), "no ids in the event's row");
        long eventId = ((Number) OrgRows.single(db, "select id from audit_events where detail ->> 'export' = ?",
                String.valueOf(job))).longValue();
        assertEquals("10000,10000,7", OrgRows.single(db, "select string_agg(cardinality(record_ids)::text, ',' order by part)"
                + " from audit_event_records where event_id = ?", eventId));

        // Found by a patient of its last part: the access report and GET /api/audit.
        long last = ids.get(ids.size() - 1);
        as(owner).get("/api/patients/" + last + "/access-report").then().statusCode(200)
                .body("via", org.hamcrest.Matchers.hasItem("export"));
        JsonPath found = as(admin()).queryParam("recordType", "patient").queryParam("recordId", last)
                .get("/api/audit").then().statusCode(200).extract().jsonPath();
        List<Integer> counts = found.getList("findAll { it.id == " + eventId + " }.recordCount");
        assertEquals(List.of(PATIENTS), counts, found.prettify());
        assertNull(found.get("find { it.id == " + eventId + " }.recordIds"), "the ids are not listed");

        sealed();
        assertTrue(verify(from).getBoolean("verified"), "as written: verified");

        // One id of the second part changed: the event is broken, and passes once put back.
        long changed = ids.get(10_000 + 5);
        asSuperuser("update audit_event_records set record_ids[6] = " + (changed + 1_000_000_000L) + " where event_id = "
                + eventId + " and part = 1");
        JsonPath broken = verify(from);
        assertFalse(broken.getBoolean("verified"), broken.prettify());
        assertEquals(eventId, broken.getLong("firstBrokenEventId"));
        asSuperuser("update audit_event_records set record_ids[6] = " + changed + " where event_id = " + eventId
                + " and part = 1");
        assertTrue(verify(from).getBoolean("verified"), "put back: verified again");

        // A part deleted (a patient hidden from the accounting of disclosures), then restored.
        // (Pooled connections: a temp table of one's own name, dropped, and the role reset whatever happens.)
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("set session_replication_role = replica");
            try {
                st.execute("create temp table kept_export_part as select * from audit_event_records where event_id = "
                        + eventId + " and part = 2");
                st.execute("delete from audit_event_records where event_id = " + eventId + " and part = 2");
                assertEquals(eventId, verify(from).getLong("firstBrokenEventId"));
                st.execute("insert into audit_event_records select * from kept_export_part");
            } finally {
                st.execute("drop table if exists kept_export_part");
                st.execute("set session_replication_role = origin");
            }
        }
        assertTrue(verify(from).getBoolean("verified"), "restored: verified again");

        // The count changed: broken too.
        asSuperuser("update audit_events set record_count = record_count - 1 where id = " + eventId);
        assertEquals(eventId, verify(from).getLong("firstBrokenEventId"));
        asSuperuser("update audit_events set record_count = record_count + 1 where id = " + eventId);
        assertTrue(verify(from).getBoolean("verified"), "put back: verified again");

        // The service's own role cannot change or delete a part.
        for (String change : List.of("update audit_event_records set part = part where event_id = " + eventId,
                "delete from audit_event_records where event_id = " + eventId,
                "truncate audit_event_records")) {
            SQLException refused = assertThrows(SQLException.class, () -> {
                try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
                    st.execute(change);
                }
            }, change);
            assertEquals("42501", refused.getSQLState(), change);
        }
    }

    @Test
    void anExportThatHeldNoPatientHasACountOfZeroAndVerifies() throws Exception {
        Instant from = sealed();
        TestUser owner = newUser();
        String status = kickOff(owner, "/fhir/Patient/$export");
        manifest(owner, status);
        ExportSupport.ExportAudit event = ExportSupport.audit(db, ExportSupport.job(status));
        assertEquals(0, event.recordCount());
        assertEquals(List.of(), event.held());
        sealed();
        JsonPath verified = verify(from);
        assertTrue(verified.getBoolean("verified"), verified.prettify());
    }

    /** Everything written so far is sealed; returns an instant after it. */
    private Instant sealed() throws Exception {
        assertTrue(audit.flush(10_000));
        for (int i = 0; i < 50 && !sealer.sealNow().ran(); i++) {
            Thread.sleep(100);
        }
        Thread.sleep(5);
        return Instant.now();
    }

    private JsonPath verify(Instant from) {
        if (platformAdmin == null) {
            platformAdmin = admin();
        }
        return as(platformAdmin).queryParam("from", from.toString()).queryParam("to", Instant.now().plusSeconds(60).toString())
                .get("/api/audit/verify").then().statusCode(200).extract().jsonPath();
    }

    private void asSuperuser(String... statements) throws SQLException {
        Tamper.asSuperuser(db, statements);
    }
}
