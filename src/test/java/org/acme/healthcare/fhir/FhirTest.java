package org.acme.healthcare.fhir;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.fhir.UsCoreValidator.assertUsCore;
import static org.acme.healthcare.fhir.UsCoreValidator.assertValid;
import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.createDoctor;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The FHIR view, row by row of the contract and error by error, another user's records
 * included. Every resource and Bundle the service returns (errors too) goes through HAPI's R4
 * validator: zero errors.
 */
@QuarkusTest
class FhirTest {
    @Inject
    AuditLog audit;

    static RequestSpecification fhir(TestUser user) {
        return given().header("Authorization", "Bearer " + user.token());
    }

    /**
     * A 200 with a valid FHIR resource of this type, as application/fhir+json: 0 errors from the
     * validator, and a record (a Bundle: each entry) claims and conforms to its US Core profile.
     */
    static JsonPath ok(Response response, String resourceType) {
        ExtractableResponse<Response> r = response.then().statusCode(200)
                .contentType(startsWith("application/fhir+json")).extract();
        String body = r.asString();
        if (resourceType.equals("CapabilityStatement")) {
            assertValid(body);
        } else {
            assertUsCore(body);
        }
        JsonPath json = JsonPath.from(body);
        assertEquals(resourceType, json.getString("resourceType"));
        return json;
    }

    /** An OperationOutcome with this status, valid, with nothing internal in it. */
    static JsonPath outcome(Response response, int status) {
        ExtractableResponse<Response> r = response.then().statusCode(status)
                .contentType(startsWith("application/fhir+json"))
                .body(not(containsString("Exception"))).body(not(containsString("org.acme")))
                .body(not(containsString("urn:problem-type"))).extract();
        String body = r.asString();
        assertValid(body);
        JsonPath json = JsonPath.from(body);
        assertEquals("OperationOutcome", json.getString("resourceType"));
        assertEquals("error", json.getString("issue[0].severity"));
        assertFalse(json.getString("issue[0].diagnostics").isBlank());
        return json;
    }

    private static long patient(TestUser owner, Map<String, Object> fields) {
        return as(owner).body(fields).post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void metadataNeedsNoTokenAndListsExactlyWhatIsServed() {
        JsonPath cs = ok(given().get("/fhir/metadata"), "CapabilityStatement");
        assertEquals("4.0.1", cs.getString("fhirVersion"));
        assertEquals("instance", cs.getString("kind"));
        assertTrue(cs.getList("format").contains("json"));
        assertEquals(List.of("Patient", "Practitioner", "Organization", "CareTeam", "Condition", "Group"),
                cs.getList("rest[0].resource.type"));
        // Each probed against the service, and nothing else, in FhirCapabilityTest.
        assertEquals(List.of(FhirMapper.PATIENT_PROFILE), cs.getList("rest[0].resource[0].supportedProfile"));
        // application/json and _format=json are fine; the answer is application/fhir+json either way.
        ok(given().accept("application/json").get("/fhir/metadata"), "CapabilityStatement");
        ok(given().queryParam("_format", "json").get("/fhir/metadata"), "CapabilityStatement");
    }

    @Test
    void patientReadMapsTheRecordWithVersionAndWeakEtag() {
        TestUser owner = newUser();
        long id = patient(owner, Map.of("name", "Jane Doe", "gender", "F", "phone", "+1 555 0100",
                "email", "jane@example.com", "address", "1 Main St", "age", 42, "disease", "Hypertension"));
        as(owner).body(Map.of("age", 43)).put("/api/patients/" + id).then().statusCode(200);
        Response response = fhir(owner).get("/fhir/Patient/" + id);
        response.then().header("ETag", "W/\"1\"");
        JsonPath p = ok(response, "Patient");
        assertEquals(String.valueOf(id), p.getString("id"));
        assertEquals("1", p.getString("meta.versionId"));
        assertTrue(p.getString("meta.lastUpdated").matches("\\d{4}-\\d\\d-\\d\\dT.*"));
        assertEquals("Jane Doe", p.getString("name[0].text"));
        assertEquals("female", p.getString("gender"));
        assertEquals(List.of("phone", "email"), p.getList("telecom.system"));
        assertEquals(List.of("+1 555 0100", "jane@example.com"), p.getList("telecom.value"));
        assertEquals("1 Main St", p.getString("address[0].text"));
        // The legacy header works here too.
        ok(given().header("x-access-token", owner.token()).get("/fhir/Patient/" + id), "Patient");
    }

    @Test
    void otherUsersPatientIsNotFoundOnEveryRead() {
        TestUser owner = newUser();
        TestUser other = newUser();
        long id = createPatient(owner, "Private Person");
        outcome(fhir(other).get("/fhir/Patient/" + id), 404);
        outcome(fhir(other).get("/fhir/Patient/" + id + "/_history/0"), 404);
        outcome(fhir(other).get("/fhir/CareTeam?patient=" + id), 404);
        outcome(fhir(other).get("/fhir/Condition?patient=Patient/" + id), 404);
        outcome(fhir(owner).get("/fhir/Patient/987654321987"), 404);
    }

    @Test
    void adminMayReadAnyPatient() {
        long id = createPatient(newUser(), "Private Person");
        assertEquals("Private Person", ok(fhir(admin()).get("/fhir/Patient/" + id), "Patient").getString("name[0].text"));
    }

    @Test
    void anotherUsersPatientsNeverAppearInASearchNotEvenTheAdmins() {
        TestUser owner = newUser();
        TestUser other = newUser();
        String unique = "Zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        createPatient(owner, unique + " Owner");
        assertEquals(0, ok(fhir(other).queryParam("name", unique).get("/fhir/Patient"), "Bundle").getInt("total"));
        assertEquals(0, ok(fhir(admin()).queryParam("name", unique).get("/fhir/Patient"), "Bundle").getInt("total"));
        assertEquals(1, ok(fhir(owner).queryParam("name", unique).get("/fhir/Patient"), "Bundle").getInt("total"));
    }

    @Test
    void patientSearchByNameAndGenderPagesWithFollowableNextLinks() {
        TestUser owner = newUser();
        String family = "Fam" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        long a = patient(owner, Map.of("name", "Alice " + family, "gender", "female"));
        long b = patient(owner, Map.of("name", "Beth " + family, "gender", "female"));
        long c = patient(owner, Map.of("name", "Carl " + family, "gender", "male"));
        patient(owner, Map.of("name", "Someone Else", "gender", "female"));

        JsonPath all = ok(fhir(owner).queryParam("name", family.toLowerCase()).get("/fhir/Patient"), "Bundle");
        assertEquals("searchset", all.getString("type"));
        assertEquals(3, all.getInt("total"));
        assertEquals(List.of(String.valueOf(a), String.valueOf(b), String.valueOf(c)), all.getList("entry.resource.id"));
        // No public base URL in tests: a stable urn:uuid per resource, never a host from the request.
        assertTrue(all.getString("entry[0].fullUrl").startsWith("urn:uuid:"));
        assertEquals(all.getString("entry[0].fullUrl"),
                ok(fhir(owner).queryParam("name", "alice " + family).get("/fhir/Patient"), "Bundle").getString("entry[0].fullUrl"));
        assertEquals(List.of("self"), all.getList("link.relation"));

        // Start of the name, or of any word in it; not the middle of a word.
        assertEquals(1, ok(fhir(owner).queryParam("name", "alice " + family).get("/fhir/Patient"), "Bundle").getInt("total"));
        assertEquals(0, ok(fhir(owner).queryParam("name", family.substring(2)).get("/fhir/Patient"), "Bundle").getInt("total"));

        JsonPath women = ok(fhir(owner).queryParam("name", family).queryParam("gender", "female").get("/fhir/Patient"), "Bundle");
        assertEquals(List.of(String.valueOf(a), String.valueOf(b)), women.getList("entry.resource.id"));
        JsonPath either = ok(fhir(owner).queryParam("name", family)
                .queryParam("gender", "http://hl7.org/fhir/administrative-gender|male,female").get("/fhir/Patient"), "Bundle");
        assertEquals(3, either.getInt("total"));

        // Paging: _count 2, then the next link as given.
        JsonPath first = ok(fhir(owner).queryParam("name", family).queryParam("_count", 2).get("/fhir/Patient"), "Bundle");
        assertEquals(3, first.getInt("total"));
        assertEquals(2, first.getList("entry").size());
        String next = first.getString("link.find { it.relation == 'next' }.url");
        assertFalse(next.startsWith("http"), "no public URL configured: relative to the FHIR base, never the Host header");
        JsonPath second = ok(fhir(owner).urlEncodingEnabled(false).get("/fhir/" + next), "Bundle");
        assertEquals(List.of(String.valueOf(c)), second.getList("entry.resource.id"));
        assertNull(second.get("link.find { it.relation == 'next' }"));
        // A forged Host header does not reach any link.
        JsonPath forged = ok(fhir(owner).header("Host", "evil.example").queryParam("name", family).queryParam("_count", 1)
                .get("/fhir/Patient"), "Bundle");
        assertFalse(forged.prettify().contains("evil.example"));
    }

    @Test
    void versionsComeFromTheHistoryAndOutliveADelete() {
        TestUser owner = newUser();
        long id = patient(owner, Map.of("name", "Old Name", "disease", "Flu"));
        as(owner).body(Map.of("name", "New Name")).put("/api/patients/" + id).then().statusCode(200);

        Response v0 = fhir(owner).get("/fhir/Patient/" + id + "/_history/0");
        v0.then().header("ETag", "W/\"0\"");
        JsonPath old = ok(v0, "Patient");
        assertEquals("Old Name", old.getString("name[0].text"));
        assertEquals("0", old.getString("meta.versionId"));
        assertEquals("New Name", ok(fhir(owner).get("/fhir/Patient/" + id + "/_history/1"), "Patient").getString("name[0].text"));
        outcome(fhir(owner).get("/fhir/Patient/" + id + "/_history/7"), 404);
        outcome(fhir(owner).get("/fhir/Patient/" + id + "/_history/x"), 400);

        as(owner).delete("/api/patients/" + id).then().statusCode(204);
        outcome(fhir(owner).get("/fhir/Patient/" + id), 404);
        assertEquals("New Name", ok(fhir(owner).get("/fhir/Patient/" + id + "/_history/1"), "Patient").getString("name[0].text"));
        assertEquals("not-found", outcome(fhir(owner).get("/fhir/Patient/" + id + "/_history/2"), 410).getString("issue[0].code"));
        outcome(fhir(newUser()).get("/fhir/Patient/" + id + "/_history/1"), 404);
        assertEquals("New Name", ok(fhir(admin()).get("/fhir/Patient/" + id + "/_history/1"), "Patient").getString("name[0].text"));
    }

    @Test
    void practitionersAreTheDoctorsDirectory() {
        TestUser user = newUser();
        String surname = "Doc" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        long id = as(user).body(Map.of("name", "Gregory " + surname, "specialization", "Nephrology",
                "email", "house@example.com", "phone", "+1 555 0199")).post("/api/doctors")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        createDoctor(user, "Lisa " + surname, "Endocrinology");
        // Any signed-in user may read any doctor.
        Response read = fhir(newUser()).get("/fhir/Practitioner/" + id);
        read.then().header("ETag", "W/\"0\"");
        JsonPath d = ok(read, "Practitioner");
        assertEquals("Gregory " + surname, d.getString("name[0].text"));
        assertEquals("Nephrology", d.getString("qualification[0].code.text"));
        assertEquals(List.of("phone", "email"), d.getList("telecom.system"));
        assertEquals("0", d.getString("meta.versionId"));
        JsonPath found = ok(fhir(newUser()).queryParam("name", surname).queryParam("_count", 1).get("/fhir/Practitioner"), "Bundle");
        assertEquals(2, found.getInt("total"));
        assertEquals(List.of(String.valueOf(id)), found.getList("entry.resource.id"));
        assertTrue(found.getString("link.find { it.relation == 'next' }.url").startsWith("Practitioner?"));
        outcome(fhir(user).get("/fhir/Practitioner/987654321987"), 404);
    }

    @Test
    void careTeamHasAParticipantPerAssignedDoctor() {
        TestUser owner = newUser();
        long patientId = createPatient(owner, "Team Patient");
        long d1 = createDoctor(owner, "Dr One", "Cardiology");
        long d2 = createDoctor(newUser(), "Dr Two", "Oncology");
        for (long d : List.of(d1, d2)) {
            as(owner).body(Map.of("patientId", patientId, "doctorId", d)).post("/api/mappings").then().statusCode(201);
        }
        List<String> assignedAt = as(owner).get("/api/mappings/patient/" + patientId).then().statusCode(200)
                .extract().jsonPath().getList("assignedAt");
        JsonPath bundle = ok(fhir(owner).queryParam("patient", patientId).get("/fhir/CareTeam"), "Bundle");
        assertEquals(1, bundle.getInt("total"));
        JsonPath team = JsonPath.from(bundle.prettify()).setRootPath("entry[0].resource");
        assertEquals("CareTeam", team.getString("resourceType"));
        assertEquals("Patient/" + patientId, team.getString("subject.reference"));
        assertEquals(List.of("Practitioner/" + d1, "Practitioner/" + d2), team.getList("participant.member.reference"));
        List<String> starts = team.getList("participant.period.start");
        for (int i = 0; i < 2; i++) {
            assertEquals(java.time.Instant.parse(assignedAt.get(i)).toEpochMilli() / 1000,
                    java.time.OffsetDateTime.parse(starts.get(i)).toInstant().toEpochMilli() / 1000);
        }
        // The patient reference may be given as Patient/{id}; an admin may read any.
        ok(fhir(admin()).queryParam("patient", "Patient/" + patientId).get("/fhir/CareTeam"), "Bundle");
        // US Core: a CareTeam has at least one participant; no doctor, no team.
        JsonPath none = ok(fhir(owner).queryParam("patient", createPatient(owner, "No Team")).get("/fhir/CareTeam"), "Bundle");
        assertEquals(0, none.getInt("total"));
        assertNull(none.get("entry"));
        outcome(fhir(owner).get("/fhir/CareTeam"), 400);
    }

    @Test
    void conditionIsTheDiseaseAsCodeText() {
        TestUser owner = newUser();
        long id = patient(owner, Map.of("name", "Sick Person", "disease", "Type 2 diabetes"));
        JsonPath bundle = ok(fhir(owner).queryParam("patient", id).get("/fhir/Condition"), "Bundle");
        assertEquals(1, bundle.getInt("total"));
        assertEquals("Type 2 diabetes", bundle.getString("entry[0].resource.code.text"));
        assertEquals("Patient/" + id, bundle.getString("entry[0].resource.subject.reference"));
        assertEquals("d" + id, bundle.getString("entry[0].resource.id"));
        Response read = fhir(owner).get("/fhir/Condition/d" + id);
        read.then().header("ETag", "W/\"0\"");
        assertEquals("Type 2 diabetes", ok(read, "Condition").getString("code.text"));
        long healthy = createPatient(owner, "Healthy Person");
        JsonPath empty = ok(fhir(owner).queryParam("patient", healthy).get("/fhir/Condition"), "Bundle");
        assertEquals(0, empty.getInt("total"));
        outcome(fhir(owner).get("/fhir/Condition/d" + healthy), 404);
        outcome(fhir(newUser()).get("/fhir/Condition/d" + id), 404);
        outcome(fhir(owner).get("/fhir/Condition/x" + id), 400);
        outcome(fhir(owner).queryParam("patient", "Practitioner/1").get("/fhir/Condition"), 400);
    }

    @Test
    void fhirReadsAndSearchesAreInTheAuditTrailWithTheIdsReturned() throws Exception {
        TestUser owner = newUser();
        TestUser other = newUser();
        String unique = "Aud" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        long id = createPatient(owner, unique);
        ok(fhir(owner).get("/fhir/Patient/" + id), "Patient");
        ok(fhir(owner).queryParam("name", unique).get("/fhir/Patient"), "Bundle");
        ok(fhir(owner).queryParam("patient", id).get("/fhir/CareTeam"), "Bundle");
        ok(fhir(owner).queryParam("patient", id).get("/fhir/Condition"), "Bundle");
        outcome(fhir(other).get("/fhir/Patient/" + id), 404);
        assertTrue(audit.flush(10_000));
        JsonPath events = as(admin()).queryParam("recordType", "patient").queryParam("recordId", id).queryParam("size", 500)
                .get("/api/audit").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> list = events.getList("");
        long reads = list.stream().filter(e -> "read".equals(e.get("action")) && "success".equals(e.get("outcome"))
                && ((Number) e.get("actorId")).longValue() == owner.id()).count();
        assertEquals(3, reads, "the read, the CareTeam and the Condition search: " + list);
        assertTrue(list.stream().anyMatch(e -> "list".equals(e.get("action"))
                && String.valueOf(e.get("recordIds")).equals("[" + id + "]")), "the search, with the id it returned: " + list);
        assertTrue(list.stream().anyMatch(e -> "denied".equals(e.get("outcome"))
                && ((Number) e.get("actorId")).longValue() == other.id()), "the other user's attempt: " + list);
    }

    @Test
    void badSearchesAre400OperationOutcomes() {
        TestUser user = newUser();
        outcome(fhir(user).queryParam("address-city", "Boston").get("/fhir/Patient"), 400);
        outcome(fhir(user).queryParam("name:exact", "x").get("/fhir/Patient"), 400);
        outcome(fhir(user).queryParam("family", "x").get("/fhir/Practitioner"), 400);
        for (String count : List.of("0", "501", "abc", "-1", "99999999999")) {
            outcome(fhir(user).queryParam("_count", count).get("/fhir/Patient"), 400);
        }
        outcome(fhir(user).queryParam("gender", "woman").get("/fhir/Patient"), 400);
        outcome(fhir(user).queryParam("name", "a").queryParam("name", "b").get("/fhir/Patient"), 400);
        outcome(fhir(user).get("/fhir/Patient/abc"), 400);
        outcome(fhir(user).queryParam("foo", "bar").get("/fhir/Patient/1"), 400);
        // The rejected parameter is not echoed.
        String planted = "ZZ" + UUID.randomUUID().toString().replace("-", "");
        fhir(user).queryParam(planted, "1").get("/fhir/Patient").then().statusCode(400).body(not(containsString(planted)));
    }

    @Test
    void tokensAreCheckedAsInTheRestApi() {
        for (String path : List.of("/fhir/Patient/1", "/fhir/Patient", "/fhir/Practitioner", "/fhir/CareTeam?patient=1",
                "/fhir/Condition?patient=1", "/fhir/Patient/1/_history/0", "/fhir/Practitioner/1", "/fhir/Organization/1", "/fhir/Condition/d1")) {
            given().urlEncodingEnabled(false).get(path).then().header("WWW-Authenticate", startsWith("Bearer"));
            outcome(given().urlEncodingEnabled(false).get(path), 401);
            outcome(given().urlEncodingEnabled(false).header("Authorization", "Bearer not.a.token").get(path), 401);
        }
        TestUser user = newUser();
        outcome(given().header("Authorization", "Bearer " + org.acme.healthcare.support.Tokens.expired(user.id()))
                .get("/fhir/Patient"), 401);
    }

    @Test
    void frameworkErrorsUnderFhirAreOperationOutcomesToo() {
        TestUser user = newUser();
        outcome(fhir(user).get("/fhir/Observation"), 404);
        outcome(given().get("/fhir/no/such/thing"), 404);
        outcome(fhir(user).get("/fhir/Patient/1/extra"), 404);
        outcome(fhir(user).contentType("application/fhir+json").body("{}").post("/fhir/Practitioner"), 405);
        outcome(fhir(user).delete("/fhir/Practitioner/1"), 405);
        outcome(fhir(user).contentType("application/fhir+json").body("{}").patch("/fhir/Patient/1"), 405);
        outcome(fhir(user).accept("application/fhir+xml").get("/fhir/Patient"), 406);
        outcome(fhir(user).accept("application/xml").get("/fhir/metadata"), 406);
        outcome(fhir(user).queryParam("_format", "xml").get("/fhir/Patient"), 406);
        outcome(given().queryParam("_format", "application/fhir+xml").get("/fhir/metadata"), 406);
        outcome(fhir(user).header("Content-Length", "99999999").get("/fhir/Patient"), 413);
        // Outside /fhir, errors stay problem documents.
        given().get("/api/patients").then().statusCode(401).contentType(startsWith("application/problem+json"));
    }
}
