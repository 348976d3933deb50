package org.acme.healthcare.export;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.acme.healthcare.fhir.UsCoreValidator;
import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.OrgRows;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Kick-off, polling and downloading as a Bulk Data client does them, for the export tests. */
final class ExportSupport {
    static final String FHIR_JSON = "application/fhir+json";

    private ExportSupport() {
    }

    /** A request as a Bulk Data client makes it: the user's token, Accept: application/fhir+json, Prefer: respond-async. */
    static RequestSpecification client(TestUser user) {
        return given().header("Authorization", "Bearer " + user.token()).accept(FHIR_JSON).header("Prefer", "respond-async");
    }

    /** Kicks off and returns the status URL (Content-Location). */
    static String kickOff(TestUser user, String path) {
        return accepted(client(user).get(path));
    }

    /** A 202 kick-off answer's status URL; the body is an OperationOutcome. */
    static String accepted(Response response) {
        response.then().statusCode(202).contentType(startsWith(FHIR_JSON));
        String location = response.header("Content-Location");
        assertNotNull(location);
        assertTrue(location.startsWith("/fhir/bulkstatus/"), location);
        UsCoreValidator.assertValid(response.asString());
        assertEquals("OperationOutcome", response.jsonPath().getString("resourceType"));
        return location;
    }

    /** Polls until the manifest is there (60 s at most); every answer before it is a 202 with X-Progress and Retry-After. */
    static JsonPath manifest(TestUser user, String status) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            Response r = given().header("Authorization", "Bearer " + user.token()).get(status);
            if (r.statusCode() == 200) {
                r.then().contentType(startsWith("application/json")).header("Expires", not(containsString("1970")));
                return r.jsonPath();
            }
            assertEquals(202, r.statusCode(), r.asString());
            assertNotNull(r.header("X-Progress"));
            assertTrue(r.header("X-Progress").length() < 100);
            assertEquals("2", r.header("Retry-After"));
            assertTrue(System.currentTimeMillis() < deadline, "the export did not finish within 60 s");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The NDJSON of a file of the manifest, as application/fhir+ndjson. */
    static String download(TestUser user, String url) {
        return given().header("Authorization", "Bearer " + user.token()).accept("application/fhir+ndjson").get(url)
                .then().statusCode(200).contentType(startsWith("application/fhir+ndjson")).extract().asString();
    }

    /** Every line of every output file of this type, each line checked: a US Core resource, valid. */
    static List<JsonPath> resources(TestUser user, JsonPath manifest, String type, boolean validate) {
        List<JsonPath> all = new ArrayList<>();
        List<Map<String, Object>> output = manifest.getList("output");
        for (Map<String, Object> file : output) {
            if (!type.equals(file.get("type"))) {
                continue;
            }
            String body = download(user, (String) file.get("url"));
            assertTrue(body.endsWith("\n"));
            String[] lines = body.split("\n");
            assertEquals(((Number) file.get("count")).intValue(), lines.length, "count of " + file.get("url"));
            for (String line : lines) {
                assertFalse(line.isBlank());
                if (validate) {
                    UsCoreValidator.assertUsCore(line);
                }
                JsonPath resource = JsonPath.from(line);
                assertEquals(type, resource.getString("resourceType"));
                all.add(resource);
            }
        }
        return all;
    }

    /**
     * {@code count} personal patients of the user, written straight into the table (fast), each with
     * its creation in the history, as every record has (one revision for them all); their ids in order.
     */
    static List<Long> patients(DataSource db, TestUser owner, int count) {
        OrgRows.update(db, "with rev as (insert into history_revisions (changed_at, actor_id) values (now(), ?) returning id),"
                + " made as (insert into patients (owner_id, name, gender, disease, created_at, updated_at)"
                + " select ?, 'Bulk Patient ' || g, 'female', case when g % 2 = 0 then 'Asthma' end, now(), now()"
                + " from generate_series(1, ?) g returning *)"
                + " insert into patients_history (id, rev, revtype, owner_id, organization_id, restricted, name, age, gender,"
                + " address, phone, email, disease, birth_date, identifiers, created_at, updated_at, version)"
                + " select m.id, rev.id, 0, m.owner_id, m.organization_id, m.restricted, m.name, m.age, m.gender, m.address,"
                + " m.phone, m.email, m.disease, m.birth_date, m.identifiers, m.created_at, m.updated_at, m.version"
                + " from made m cross join rev", owner.id(), owner.id(), count);
        List<Long> ids = new ArrayList<>();
        try (var c = db.getConnection(); var ps = c.prepareStatement("select id from patients where owner_id = ? order by id")) {
            ps.setLong(1, owner.id());
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    /** An export's audit event as stored, and the patient ids of its parts (audit_event_records), in order. */
    record ExportAudit(Long actorId, String clientId, String via, String action, Object recordIds, Integer recordCount,
            List<Long> held) {
    }

    /** The one audit event of the job (fails if there is none or more than one). */
    static ExportAudit audit(DataSource db, long job) {
        try (var c = db.getConnection()) {
            ExportAudit event;
            long id;
            java.time.OffsetDateTime at;
            try (var ps = c.prepareStatement("select actor_id, detail ->> 'clientId', via, action, record_ids, record_count, id,"
                    + " occurred_at from audit_events where detail ->> 'export' = ?")) {
                ps.setString(1, String.valueOf(job));
                try (var rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "the export has an audit event");
                    Object count = rs.getObject(6);
                    event = new ExportAudit((Long) rs.getObject(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5), count == null ? null : ((Number) count).intValue(), new ArrayList<>());
                    id = rs.getLong(7);
                    at = rs.getObject(8, java.time.OffsetDateTime.class);
                    assertFalse(rs.next(), "one audit event per export");
                }
            }
            try (var ps = c.prepareStatement("select u.id from audit_event_records r cross join unnest(r.record_ids)"
                    + " with ordinality u(id, n) where r.event_id = ? and r.occurred_at = ? order by r.part, u.n")) {
                ps.setLong(1, id);
                ps.setObject(2, at);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        event.held().add(rs.getLong(1));
                    }
                }
            }
            return event;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The job id of a status URL. */
    static long job(String status) {
        return Long.parseLong(status.substring(status.lastIndexOf('/') + 1));
    }
}
