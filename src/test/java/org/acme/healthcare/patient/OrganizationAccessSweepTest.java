package org.acme.healthcare.patient;

import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.createDoctor;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.OrgRows;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The role sweep: every route that touches a patient, called by a non-member, a reader, a
 * clinician, the organization's admin and a platform admin (and, for a restricted record, its
 * creator), each status checked against the contract: 404 for whoever may not know the record,
 * 403 for a member who may see it but not do this (break-glass-required for a restricted read),
 * 200/201/204 otherwise. Writes a caller is allowed are sent with a stale If-Match (412), so the
 * sweep changes nothing. All mismatches are reported at once.
 */
@QuarkusTest
class OrganizationAccessSweepTest {
    private static final int OK = 0;
    private static final int BREAK_GLASS = 1403;

    @Inject
    AgroalDataSource db;

    /** What one caller may do: the status of a read, of a write it is allowed past (OK) or not, and whether lists show the record. */
    record Expect(int read, int write, boolean listed) {
    }

    @Test
    void everyRouteAnswersEachRoleAsTheContractSays() {
        TestUser orgAdmin = newUser();
        TestUser creator = newUser();
        TestUser clinician = newUser();
        TestUser reader = newUser();
        TestUser outsider = newUser();
        TestUser platform = admin();
        long org = OrgRows.create(db, "Sweep clinic", orgAdmin.id());
        OrgRows.join(db, org, creator.id(), "clinician");
        OrgRows.join(db, org, clinician.id(), "clinician");
        OrgRows.join(db, org, reader.id(), "reader");
        // An organization the outsider administers: membership elsewhere grants nothing here.
        OrgRows.create(db, "Other clinic", outsider.id());

        long open = createIn(creator, org, false);
        long restricted = createIn(creator, org, true);

        List<String> mismatches = new ArrayList<>();
        Map<String, TestUser> callers = new LinkedHashMap<>();
        callers.put("outsider", outsider);
        callers.put("reader", reader);
        callers.put("clinician", clinician);
        callers.put("orgAdmin", orgAdmin);
        callers.put("platformAdmin", platform);
        callers.put("creator", creator);

        Map<String, Expect> onOpen = Map.of(
                "outsider", new Expect(404, 404, false),
                "reader", new Expect(200, 403, true),
                "clinician", new Expect(200, OK, true),
                "orgAdmin", new Expect(200, OK, true),
                "platformAdmin", new Expect(200, 404, false),
                "creator", new Expect(200, OK, true));
        Map<String, Expect> onRestricted = Map.of(
                "outsider", new Expect(404, 404, false),
                "reader", new Expect(BREAK_GLASS, 403, false),
                "clinician", new Expect(BREAK_GLASS, 403, false),
                "orgAdmin", new Expect(200, OK, true),
                "platformAdmin", new Expect(BREAK_GLASS, 404, false),
                "creator", new Expect(200, OK, true));

        callers.forEach((role, user) -> {
            sweep("open/" + role, user, creator, open, onOpen.get(role), mismatches);
            sweep("restricted/" + role, user, creator, restricted, onRestricted.get(role), mismatches);
        });
        assertEquals(List.of(), mismatches);
    }

    private static long createIn(TestUser clinician, long org, boolean restricted) {
        return as(clinician).body(Map.of("name", "Sweep patient", "disease", "Asthma", "organizationId", org, "restricted",
                restricted)).post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static void sweep(String who, TestUser caller, TestUser creator, long patient, Expect expect, List<String> out) {
        String[] reads = { "/api/patients/" + patient, "/api/patients/" + patient + "/history",
                "/api/patients/" + patient + "/history/0", "/api/mappings/" + patient, "/api/mappings/patient/" + patient,
                "/fhir/Patient/" + patient, "/fhir/Patient/" + patient + "/_history/0", "/fhir/CareTeam?patient=" + patient,
                "/fhir/Condition?patient=" + patient, "/fhir/Condition/d" + patient };
        for (String path : reads) {
            Response r = as(caller).get(path);
            check(out, who, "GET " + path, r, expect.read() == BREAK_GLASS ? 403 : expect.read());
            if (expect.read() == BREAK_GLASS && r.statusCode() == 403 && path.startsWith("/api/")) {
                String type = r.jsonPath().getString("type");
                if (type == null || !type.endsWith("break-glass-required")) {
                    out.add(who + " GET " + path + ": type " + type);
                }
            }
        }
        int allowed = expect.write();
        check(out, who, "PUT", as(caller).header("If-Match", "\"999\"").body(Map.of("age", 30))
                .put("/api/patients/" + patient), allowed == OK ? 412 : allowed);
        check(out, who, "DELETE", as(caller).header("If-Match", "\"999\"").delete("/api/patients/" + patient),
                allowed == OK ? 412 : allowed);
        long doctor = createDoctor(creator, "Dr. Sweep", "Sweeping");
        check(out, who, "POST mapping", as(caller).body(Map.of("patientId", patient, "doctorId", doctor))
                .post("/api/mappings"), allowed == OK ? 201 : allowed);
        long doctor2 = createDoctor(creator, "Dr. Sweep 2", "Sweeping");
        long mapping = as(creator).body(Map.of("patientId", patient, "doctorId", doctor2)).post("/api/mappings")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        check(out, who, "DELETE mapping", as(caller).delete("/api/mappings/" + mapping), allowed == OK ? 204 : allowed == 403 ? 403 : 404);

        List<Long> listed = as(caller).get("/api/patients?size=500").then().statusCode(200).extract().jsonPath()
                .getList("id", Long.class);
        if (listed.contains(patient) != expect.listed()) {
            out.add(who + " GET /api/patients lists it: " + listed.contains(patient));
        }
        List<String> fhir = as(caller).get("/fhir/Patient?_count=500").then().statusCode(200).extract().jsonPath()
                .getList("entry.resource.id", String.class);
        boolean inFhir = fhir != null && fhir.contains(String.valueOf(patient));
        if (inFhir != expect.listed()) {
            out.add(who + " GET /fhir/Patient lists it: " + inFhir);
        }
    }

    private static void check(List<String> out, String who, String what, Response r, int expected) {
        if (r.statusCode() != expected) {
            out.add(who + " " + what + ": " + r.statusCode() + " (expected " + expected + ")");
        }
    }
}
