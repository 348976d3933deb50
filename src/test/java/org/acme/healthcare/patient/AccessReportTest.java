package org.acme.healthcare.patient;

import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.OrgRows;
import org.junit.jupiter.api.Test;

import org.hamcrest.Matchers;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/** Contract, "Audit you can prove": the access report ("who saw my record"), JSON and CSV. */
@QuarkusTest
class AccessReportTest {
    private static final String REASON = "=HYPERLINK(\"http://evil\"), unconscious in the ER";

    @Inject
    AuditLog audit;
    @Inject
    AgroalDataSource db;

    @Test
    void whoSawTheRecordNewestFirstForOwnerOrgAdminsAndPlatformAdmins() throws Exception {
        TestUser orgAdmin = newUser();
        TestUser creator = newUser();
        TestUser clinician = newUser();
        TestUser outsider = newUser();
        long org = OrgRows.create(db, "Report Clinic", orgAdmin.id());
        OrgRows.join(db, org, creator.id(), "clinician");
        OrgRows.join(db, org, clinician.id(), "clinician");
        long patient = as(creator).body(Map.of("name", "Reported Person", "organizationId", org, "restricted", true))
                .post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
        String path = "/api/patients/" + patient + "/access-report";

        // Negative first.
        assertProblem(RestAssured.given().get(path).then(), 401);
        assertProblem(as(outsider).get(path).then(), 404);
        assertProblem(as(outsider).get("/api/patients/" + Long.MAX_VALUE + "/access-report").then(), 404);
        assertProblem(as(clinician).get(path).then(), 403);
        assertProblem(as(creator).queryParam("from", "soon").get(path).then(), 400);
        assertProblem(as(creator).queryParam("from", "2026-12-02T00:00:00Z").queryParam("to", "2026-12-01T00:00:00Z").get(path).then(), 400);

        // Accesses: the creator reads, the clinician breaks the glass and reads, the org admin lists, FHIR reads.
        as(creator).get("/api/patients/" + patient).then().statusCode(200);
        as(clinician).body(Map.of("reason", REASON)).post("/api/patients/" + patient + "/break-glass").then().statusCode(201);
        as(clinician).get("/api/patients/" + patient).then().statusCode(200);
        as(orgAdmin).queryParam("organizationId", org).get("/api/patients").then().statusCode(200);
        as(creator).accept("application/fhir+json").get("/fhir/Patient/" + patient).then().statusCode(200);
        as(outsider).get("/api/patients/" + patient).then().statusCode(404); // refused: not a disclosure
        assertTrue(audit.flush(10_000));

        for (TestUser who : List.of(creator, orgAdmin, admin())) {
            as(who).get(path).then().statusCode(200).header("X-Total-Count", "6");
        }
        JsonPath report = as(creator).get(path).then().statusCode(200).header("Link", Matchers.containsString("rel=\"last\""))
                .extract().jsonPath();
        assertEquals(List.of("read", "list", "read", "break_glass", "read", "create"), report.getList("action"));
        assertEquals(List.of("fhir", "rest", "rest", "rest", "rest", "rest"), report.getList("via"));
        assertEquals("user", report.getString("[0].actor.type"));
        assertEquals(creator.id(), report.getLong("[0].actor.id"));
        assertEquals(orgAdmin.id(), report.getLong("[1].actor.id"));
        assertEquals(List.of(false, false, true, true, false, false), report.getList("breakGlass"));
        assertEquals(REASON, report.getString("[2].reason"));
        assertEquals(org, report.getLong("[2].organizationId"));
        assertTrue(report.getString("[0].at").compareTo(report.getString("[5].at")) >= 0);

        // Paging and the window.
        as(creator).queryParam("size", 2).get(path).then().statusCode(200).header("X-Total-Count", "6")
                .body("size()", Matchers.equalTo(2));
        as(creator).queryParam("from", "2000-01-01T00:00:00Z").queryParam("to", "2000-01-02T00:00:00Z").get(path).then()
                .statusCode(200).header("X-Total-Count", "0");

        // CSV: the same rows, RFC 4180 quoting, formulas defused.
        var csv = as(creator).accept("text/csv").get(path).then().statusCode(200)
                .contentType(Matchers.startsWith("text/csv")).header("X-Total-Count", "6").extract().asString();
        String[] lines = csv.split("\r\n");
        assertEquals(7, lines.length, csv);
        assertEquals("at,actor_type,actor_id,actor_name,organization_id,action,via,break_glass,reason", lines[0]);
        assertTrue(lines[3].endsWith(",true,\"'=HYPERLINK(\"\"http://evil\"\"), unconscious in the ER\""), lines[3]);
        assertTrue(lines[1].contains(",read,fhir,false,"), lines[1]);
    }

    @Test
    void csvCellsAreQuotedAndDefused() {
        assertEquals("'-1+2", AccessReport.cell("-1+2"));
        assertEquals("'@SUM(A1)", AccessReport.cell("@SUM(A1)"));
        assertEquals("\"a,b\"", AccessReport.cell("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", AccessReport.cell("say \"hi\""));
        assertEquals("plain", AccessReport.cell("plain"));
        assertEquals("", AccessReport.cell(null));
    }
}
