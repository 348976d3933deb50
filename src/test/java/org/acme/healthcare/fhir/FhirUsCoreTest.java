package org.acme.healthcare.fhir;

import static org.acme.healthcare.fhir.FhirTest.fhir;
import static org.acme.healthcare.fhir.FhirTest.ok;
import static org.acme.healthcare.fhir.FhirTest.outcome;
import static org.acme.healthcare.fhir.UsCoreValidator.errors;
import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.createDoctor;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * US Core 6.1.0 on the read side: what each profile requires and how our records give it, the
 * Organization read and the Patient searches US Core adds. Every answer goes through the offline
 * US Core validator ({@link FhirTest#ok}: 0 errors and a US Core profile claimed).
 */
@QuarkusTest
class FhirUsCoreTest {
    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource db;

    private static final String DAR = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

    private static long organization(TestUser admin) {
        return as(admin).body(Map.of("name", "Clinic " + UUID.randomUUID())).post("/api/organizations")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static void join(TestUser admin, long org, TestUser user, String role) {
        String code = as(admin).body(Map.of("role", role)).post("/api/organizations/" + org + "/invitations")
                .then().statusCode(201).extract().jsonPath().getString("code");
        as(user).body(Map.of("code", code)).post("/api/invitations/accept").then().statusCode(200);
    }

    private static String unique() {
        return "Uc" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @Test
    void aPatientWithNoGenderIsUnknownAndItsFreeTextNameSaysItHasNoParts() {
        TestUser owner = newUser();
        long id = createPatient(owner, "Jane Doe");
        JsonPath p = ok(fhir(owner).get("/fhir/Patient/" + id), "Patient");
        assertEquals(List.of(FhirMapper.PATIENT_PROFILE), p.getList("meta.profile"));
        assertEquals(FhirMapper.PATIENT_ID_SYSTEM, p.getString("identifier[0].system"));
        assertEquals(String.valueOf(id), p.getString("identifier[0].value"));
        assertEquals("unknown", p.getString("gender"));
        assertEquals("Jane Doe", p.getString("name[0].text"));
        assertNull(p.get("name[0].family"));
        assertEquals(DAR, p.getString("name[0].extension[0].url"));
        assertEquals("unknown", p.getString("name[0].extension[0].valueCode"));
        assertNull(p.get("managingOrganization"), "a personal patient has no organization");
    }

    @Test
    void theValidatorFailsAServedPatientWhoseUsCoreElementsAreTakenAway() {
        TestUser owner = newUser();
        long id = createPatient(owner, "Broken On Purpose");
        String served = fhir(owner).get("/fhir/Patient/" + id).then().statusCode(200).extract().asString();
        assertEquals(List.of(), errors(served));
        // Without its identifier and gender: valid R4, not US Core.
        String broken = served.replaceAll("\"identifier\":\\[[^\\]]*\\],", "").replaceAll(",?\"gender\":\"unknown\"", "");
        assertTrue(broken.length() < served.length(), broken);
        List<String> found = errors(broken);
        assertTrue(found.stream().anyMatch(e -> e.contains("identifier")), found.toString());
        assertTrue(found.stream().anyMatch(e -> e.contains("gender")), found.toString());
        // The same Patient claiming a profile it does not meet (Practitioner's) is caught too.
        assertTrue(!errors(served.replace(FhirMapper.PATIENT_PROFILE, FhirMapper.PRACTITIONER_PROFILE)).isEmpty());
        // A Practitioner name with neither family nor a data-absent-reason fails us-core-practitioner.
        long doctor = createDoctor(owner, "Dr " + unique(), "Cardiology");
        String practitioner = fhir(owner).get("/fhir/Practitioner/" + doctor).then().statusCode(200).extract().asString();
        assertEquals(List.of(), errors(practitioner));
        String noFamily = practitioner.replaceAll(",?\"_family\":\\{[^}]*\\}\\]\\}", "");
        assertTrue(noFamily.length() < practitioner.length(), noFamily);
        assertTrue(errors(noFamily).stream().anyMatch(e -> e.contains("family")), errors(noFamily).toString());
    }

    @Test
    void organizationIsReadableByItsMembersOnly() {
        TestUser admin = newUser();
        TestUser reader = newUser();
        TestUser stranger = newUser();
        long org = organization(admin);
        join(admin, org, reader, "reader");
        // Negative first: a non-member, a platform admin, an unknown id, a malformed one.
        outcome(fhir(stranger).get("/fhir/Organization/" + org), 404);
        outcome(fhir(admin()).get("/fhir/Organization/" + org), 404);
        outcome(fhir(admin).get("/fhir/Organization/987654321987"), 404);
        outcome(fhir(admin).get("/fhir/Organization/abc"), 400);
        outcome(fhir(admin).queryParam("name", "x").get("/fhir/Organization/" + org), 400);

        Response read = fhir(reader).get("/fhir/Organization/" + org);
        read.then().header("ETag", "W/\"0\"");
        JsonPath o = ok(read, "Organization");
        assertEquals(String.valueOf(org), o.getString("id"));
        assertEquals(List.of(FhirMapper.ORGANIZATION_PROFILE), o.getList("meta.profile"));
        assertTrue(o.getBoolean("active"));
        assertTrue(o.getString("name").startsWith("Clinic "));
        assertEquals(FhirMapper.ORGANIZATION_ID_SYSTEM, o.getString("identifier[0].system"));
        assertEquals(String.valueOf(org), o.getString("identifier[0].value"));
    }

    @Test
    void aPatientOfAnOrganizationNamesItAsManagingOrganization() {
        TestUser admin = newUser();
        long org = organization(admin);
        long id = as(admin).body(Map.of("name", "Org Patient", "organizationId", org, "gender", "female"))
                .post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath p = ok(fhir(admin).get("/fhir/Patient/" + id), "Patient");
        assertEquals("Organization/" + org, p.getString("managingOrganization.reference"));
        assertEquals("female", p.getString("gender"));
        // The reference resolves for whoever may read the patient.
        ok(fhir(admin).get("/fhir/" + p.getString("managingOrganization.reference")), "Organization");
    }

    @Test
    void practitionerHasOurIdentifierAndSaysTheDirectoryHasNoFamilyName() {
        TestUser user = newUser();
        long id = createDoctor(user, "Gregory House", "Nephrology");
        JsonPath d = ok(fhir(user).get("/fhir/Practitioner/" + id), "Practitioner");
        assertEquals(List.of(FhirMapper.PRACTITIONER_PROFILE), d.getList("meta.profile"));
        assertEquals(FhirMapper.PRACTITIONER_ID_SYSTEM, d.getString("identifier[0].system"));
        assertEquals(String.valueOf(id), d.getString("identifier[0].value"));
        assertEquals("Gregory House", d.getString("name[0].text"));
        assertNull(d.get("name[0].family"));
        assertEquals(DAR, d.getString("name[0]._family.extension[0].url"));
        assertEquals("unsupported", d.getString("name[0]._family.extension[0].valueCode"));
    }

    @Test
    void careTeamIsActiveAndEachParticipantHasARole() {
        TestUser owner = newUser();
        long patient = createPatient(owner, "Team Patient");
        long doctor = createDoctor(owner, "Dr Role", "Cardiology");
        as(owner).body(Map.of("patientId", patient, "doctorId", doctor)).post("/api/mappings").then().statusCode(201);
        JsonPath team = JsonPath.from(ok(fhir(owner).queryParam("patient", patient).get("/fhir/CareTeam"), "Bundle")
                .prettify()).setRootPath("entry[0].resource");
        assertEquals(List.of(FhirMapper.CARE_TEAM_PROFILE), team.getList("meta.profile"));
        assertEquals("active", team.getString("status"));
        assertEquals("http://snomed.info/sct", team.getString("participant[0].role[0].coding[0].system"));
        assertEquals("158965000", team.getString("participant[0].role[0].coding[0].code"));
        assertEquals("Practitioner/" + doctor, team.getString("participant[0].member.reference"));
    }

    @Test
    void theDiseaseIsAProblemListItemWithTextOnly() {
        TestUser owner = newUser();
        long id = as(owner).body(Map.of("name", "Sick", "disease", "Asthma")).post("/api/patients")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath c = ok(fhir(owner).get("/fhir/Condition/d" + id), "Condition");
        assertEquals(List.of(FhirMapper.CONDITION_PROBLEM_PROFILE), c.getList("meta.profile"));
        assertEquals("problem-list-item", c.getString("category[0].coding[0].code"));
        assertEquals("Asthma", c.getString("code.text"));
        assertNull(c.get("code.coding"));
        assertNull(c.get("clinicalStatus"), "the record does not say whether it is active");
    }

    @Test
    void patientSearchByIdIdentifierOrganizationAndUnknownGender() {
        TestUser owner = newUser();
        TestUser other = newUser();
        String name = unique();
        long mine = createPatient(owner, name + " Mine");
        long theirs = createPatient(other, name + " Theirs");
        long org = organization(owner);
        long inOrg = as(owner).body(Map.of("name", name + " Org", "organizationId", org, "gender", "male"))
                .post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");

        // Negative first: another user's patient is never found, by any parameter.
        assertEquals(0, ok(fhir(owner).queryParam("_id", theirs).get("/fhir/Patient"), "Bundle").getInt("total"));
        assertEquals(0, ok(fhir(owner).queryParam("identifier", FhirMapper.PATIENT_ID_SYSTEM + "|" + theirs)
                .get("/fhir/Patient"), "Bundle").getInt("total"));
        assertEquals(0, ok(fhir(other).queryParam("organization", "Organization/" + org).get("/fhir/Patient"), "Bundle")
                .getInt("total"));
        // An identifier of another system, or one with no system, is not our id.
        assertEquals(0, ok(fhir(owner).queryParam("identifier", "http://example.org/mrn|" + mine).get("/fhir/Patient"),
                "Bundle").getInt("total"));
        assertEquals(0, ok(fhir(owner).queryParam("identifier", "|" + mine).get("/fhir/Patient"), "Bundle").getInt("total"));
        outcome(fhir(owner).queryParam("_id", "abc").get("/fhir/Patient"), 400);
        outcome(fhir(owner).queryParam("organization", "Practitioner/1").get("/fhir/Patient"), 400);

        JsonPath byIds = ok(fhir(owner).queryParam("_id", mine + "," + theirs + "," + inOrg).get("/fhir/Patient"), "Bundle");
        assertEquals(List.of(String.valueOf(mine), String.valueOf(inOrg)), byIds.getList("entry.resource.id"));
        assertEquals(List.of(String.valueOf(mine)), ok(fhir(owner).queryParam("identifier", FhirMapper.PATIENT_ID_SYSTEM
                + "|" + mine).get("/fhir/Patient"), "Bundle").getList("entry.resource.id"));
        assertEquals(List.of(String.valueOf(mine)), ok(fhir(owner).queryParam("identifier", String.valueOf(mine))
                .get("/fhir/Patient"), "Bundle").getList("entry.resource.id"));
        assertEquals(List.of(String.valueOf(inOrg)), ok(fhir(owner).queryParam("organization", org).get("/fhir/Patient"),
                "Bundle").getList("entry.resource.id"));
        // No gender on the record: served as unknown, so found as unknown.
        assertEquals(List.of(String.valueOf(mine)), ok(fhir(owner).queryParam("name", name).queryParam("gender", "unknown")
                .get("/fhir/Patient"), "Bundle").getList("entry.resource.id"));
        // The next link keeps the criteria.
        JsonPath page = ok(fhir(owner).queryParam("_id", mine + "," + inOrg).queryParam("_count", 1).get("/fhir/Patient"),
                "Bundle");
        String next = page.getString("link.find { it.relation == 'next' }.url");
        assertEquals(List.of(String.valueOf(inOrg)), ok(fhir(owner).urlEncodingEnabled(false).get("/fhir/" + next), "Bundle")
                .getList("entry.resource.id"));
    }

    private static long condition(TestUser owner, long patient, Map<String, Object> body) {
        return as(owner).body(body).post("/api/patients/" + patient + "/conditions").then().statusCode(201).extract()
                .jsonPath().getLong("id");
    }

    @Test
    void theStructuredRecordIsBirthDateIdentifiersAndFamilyAndGivenNames() {
        TestUser owner = newUser();
        String mrn = "MRN-" + unique();
        long id = as(owner).body(Map.of("name", "Jane Q. Doe", "familyName", "Doe", "givenNames", List.of("Jane", "Q."),
                "birthDate", "1984-03-07", "gender", "female",
                "identifiers", List.of(Map.of("system", "http://hospital.example.org/mrn", "value", mrn))))
                .post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath p = ok(fhir(owner).get("/fhir/Patient/" + id), "Patient");
        assertEquals("1984-03-07", p.getString("birthDate"));
        assertEquals("Doe", p.getString("name[0].family"));
        assertEquals(List.of("Jane", "Q."), p.getList("name[0].given"));
        assertEquals("Jane Q. Doe", p.getString("name[0].text"));
        assertNull(p.get("name[0].extension"), "a structured name has no data-absent-reason (us-core-6)");
        assertEquals(List.of("http://hospital.example.org/mrn", FhirMapper.PATIENT_ID_SYSTEM), p.getList("identifier.system"));
        assertEquals(List.of(mrn, String.valueOf(id)), p.getList("identifier.value"));
        // A given name alone is a structured name too.
        long given = as(owner).body(Map.of("name", "Cher", "givenNames", List.of("Cher"))).post("/api/patients")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath g = ok(fhir(owner).get("/fhir/Patient/" + given), "Patient");
        assertEquals(List.of("Cher"), g.getList("name[0].given"));
        assertNull(g.get("name[0].extension"));
        // A version from the history maps alike.
        as(owner).body(Map.of("familyName", "Roe")).put("/api/patients/" + id).then().statusCode(200);
        assertEquals("Doe", ok(fhir(owner).get("/fhir/Patient/" + id + "/_history/0"), "Patient").getString("name[0].family"));
        assertEquals("Roe", ok(fhir(owner).get("/fhir/Patient/" + id), "Patient").getString("name[0].family"));
    }

    @Test
    void patientSearchByFamilyGivenBirthdateAndTheRecordsIdentifiers() {
        TestUser owner = newUser();
        TestUser other = newUser();
        String family = unique();
        String mrn = "MRN-" + unique();
        long a = as(owner).body(Map.of("name", "A", "familyName", family, "givenNames", List.of("Ann", "Marie"),
                "birthDate", "1990-06-15", "identifiers", List.of(Map.of("system", "http://h.example/mrn", "value", mrn))))
                .post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
        long b = as(owner).body(Map.of("name", "B", "familyName", family, "givenNames", List.of("Bob"), "birthDate", "1991-01-01"))
                .post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
        long theirs = as(other).body(Map.of("name", "C", "familyName", family, "birthDate", "1990-06-15",
                "identifiers", List.of(Map.of("system", "http://h.example/mrn", "value", mrn))))
                .post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");

        // Negative first: bad values are 400; another user's patient is never found.
        for (String bad : List.of("1990-13", "1990-02-30", "ne1990", "sa1990", "90", "1990-6-1", "2000x")) {
            outcome(fhir(owner).queryParam("birthdate", bad).get("/fhir/Patient"), 400);
        }
        outcome(fhir(owner).queryParam("birthdate", "ge1990").queryParam("birthdate", "lt2000")
                .queryParam("birthdate", "1995").get("/fhir/Patient"), 400);
        outcome(fhir(owner).queryParam("family", "a").queryParam("family", "b").get("/fhir/Patient"), 400);
        JsonPath byMrn = ok(fhir(owner).queryParam("identifier", "http://h.example/mrn|" + mrn).get("/fhir/Patient"), "Bundle");
        assertEquals(List.of(String.valueOf(a)), byMrn.getList("entry.resource.id"), "not " + theirs);
        assertEquals(List.of(String.valueOf(a)), ok(fhir(owner).queryParam("identifier", mrn).get("/fhir/Patient"), "Bundle")
                .getList("entry.resource.id"));
        assertEquals(0, ok(fhir(owner).queryParam("identifier", "http://other.example/mrn|" + mrn).get("/fhir/Patient"),
                "Bundle").getInt("total"));

        List<String> both = List.of(String.valueOf(a), String.valueOf(b));
        assertEquals(both, ids(owner, Map.of("family", family.toLowerCase())));
        assertEquals(both, ids(owner, Map.of("name", family)));
        assertEquals(List.of(String.valueOf(a)), ids(owner, Map.of("family", family, "given", "mar")));
        assertEquals(List.of(String.valueOf(b)), ids(owner, Map.of("family", family, "given", "Bob")));
        assertEquals(List.of(String.valueOf(a)), ids(owner, Map.of("family", family, "birthdate", "1990-06-15")));
        assertEquals(List.of(String.valueOf(a)), ids(owner, Map.of("family", family, "birthdate", "eq1990-06")));
        assertEquals(List.of(String.valueOf(a)), ids(owner, Map.of("family", family, "birthdate", "1990")));
        assertEquals(both, ids(owner, Map.of("family", family, "birthdate", "ge1990-06-15")));
        assertEquals(List.of(String.valueOf(b)), ids(owner, Map.of("family", family, "birthdate", "gt1990-06-15")));
        assertEquals(List.of(String.valueOf(b)), ids(owner, Map.of("family", family, "birthdate", "gt1990")));
        assertEquals(List.of(String.valueOf(a)), ids(owner, Map.of("family", family, "birthdate", "le1990-06-15")));
        assertEquals(List.of(String.valueOf(a)), ids(owner, Map.of("family", family, "birthdate", "lt1991")));
        assertEquals(List.of(), ids(owner, Map.of("family", family, "birthdate", "lt1990-06-15")));
        // A range: both values hold, and the next link keeps both.
        JsonPath range = ok(fhir(owner).queryParam("family", family).queryParam("birthdate", "ge1990-01-01")
                .queryParam("birthdate", "lt1992").queryParam("_count", 1).get("/fhir/Patient"), "Bundle");
        assertEquals(2, range.getInt("total"));
        String next = range.getString("link.find { it.relation == 'next' }.url");
        assertEquals(List.of(String.valueOf(b)), ok(fhir(owner).urlEncodingEnabled(false).get("/fhir/" + next), "Bundle")
                .getList("entry.resource.id"));
        assertEquals(List.of(), ids(owner, Map.of("family", family, "birthdate", "ge1992")));
    }

    @Test
    void theTotalOfAnIdentifierOrBirthdateSearchCountsEverySpaceTheCallerReadsAndNoOther() {
        // The count puts the criteria inside each space (PatientAccess.mineCount): the same total
        // as the page, over the personal records and every organization, without restricted ones.
        TestUser owner = newUser();
        TestUser member = newUser();
        TestUser stranger = newUser();
        long org = organization(owner);
        join(owner, org, member, "clinician");
        String system = "http://h.example/mrn";
        String mrn = "MRN-" + unique();
        // One identifier may be used once per space: owner's personal record, and in the organization.
        Map<String, Object> record = Map.of("name", "T", "birthDate", "1971-02-03",
                "identifiers", List.of(Map.of("system", system, "value", mrn)));
        long personal = as(owner).body(record).post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
        java.util.HashMap<String, Object> inOrg = new java.util.HashMap<>(record);
        inOrg.put("organizationId", org);
        long shared = as(owner).body(inOrg).post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
        java.util.HashMap<String, Object> hidden = new java.util.HashMap<>(inOrg);
        hidden.put("identifiers", List.of(Map.of("system", system, "value", mrn + "-r")));
        hidden.put("restricted", true);
        long restricted = as(owner).body(hidden).post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id");
        as(stranger).body(record).post("/api/patients").then().statusCode(201);

        JsonPath mine = ok(fhir(owner).queryParam("identifier", system + "|" + mrn).get("/fhir/Patient"), "Bundle");
        assertEquals(2, mine.getInt("total"));
        assertEquals(List.of(String.valueOf(personal), String.valueOf(shared)), mine.getList("entry.resource.id"));
        JsonPath theirs = ok(fhir(member).queryParam("identifier", mrn).get("/fhir/Patient"), "Bundle");
        assertEquals(1, theirs.getInt("total"));
        assertEquals(List.of(String.valueOf(shared)), theirs.getList("entry.resource.id"));
        assertEquals(0, ok(fhir(member).queryParam("identifier", system + "|" + mrn + "-r").get("/fhir/Patient"), "Bundle")
                .getInt("total"), "restricted " + restricted);
        assertEquals(1, ok(fhir(owner).queryParam("identifier", system + "|" + mrn + "-r").get("/fhir/Patient"), "Bundle")
                .getInt("total"));

        // The owner's birthdate search counts both spaces (the restricted record too: its creator, the admin).
        assertEquals(3, ok(fhir(owner).queryParam("birthdate", "eq1971-02-03").queryParam("_count", 1).get("/fhir/Patient"),
                "Bundle").getInt("total"));
        assertEquals(3, ok(fhir(owner).queryParam("birthdate", "1971-02").get("/fhir/Patient"), "Bundle").getInt("total"));
        JsonPath members = ok(fhir(member).queryParam("birthdate", "eq1971-02-03").get("/fhir/Patient"), "Bundle");
        assertEquals(1, members.getInt("total"));
        assertEquals(List.of(String.valueOf(shared)), members.getList("entry.resource.id"));
        assertEquals(0, ok(fhir(member).queryParam("birthdate", "eq1971-02-04").get("/fhir/Patient"), "Bundle")
                .getInt("total"));
    }

    private static List<String> ids(TestUser user, Map<String, String> query) {
        List<String> ids = ok(fhir(user).queryParams(query).get("/fhir/Patient"), "Bundle").getList("entry.resource.id");
        return ids == null ? List.of() : ids;
    }

    @Test
    void codedConditionsAreUsCoreConditionsReadableAsThePatientIs() {
        TestUser owner = newUser();
        TestUser other = newUser();
        long patient = as(owner).body(Map.of("name", "Coded", "disease", "Old free text")).post("/api/patients")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long diabetes = condition(owner, patient, Map.of("code", Map.of("system", "http://snomed.info/sct", "code", "44054006",
                "display", "Diabetes mellitus type 2"), "text", "Type 2 diabetes", "clinicalStatus", "active",
                "verificationStatus", "confirmed", "onsetDate", "2015-04-01"));
        long flu = condition(owner, patient, Map.of("code", Map.of("system", "http://hl7.org/fhir/sid/icd-10-cm", "code", "J10.1"),
                "category", "encounter-diagnosis", "clinicalStatus", "resolved", "onsetDate", "2024-01-02",
                "abatementDate", "2024-01-20"));
        long concern = condition(owner, patient, Map.of("text", "Worried about falls", "category", "health-concern"));

        // Negative first: another user, an unknown id.
        outcome(fhir(other).get("/fhir/Condition/" + diabetes), 404);
        outcome(fhir(owner).get("/fhir/Condition/987654321987"), 404);
        outcome(fhir(other).queryParam("patient", patient).get("/fhir/Condition"), 404);

        Response read = fhir(owner).get("/fhir/Condition/" + diabetes);
        read.then().header("ETag", "W/\"0\"");
        JsonPath d = ok(read, "Condition");
        assertEquals(String.valueOf(diabetes), d.getString("id"));
        assertEquals(List.of(FhirMapper.CONDITION_PROBLEM_PROFILE), d.getList("meta.profile"));
        assertEquals("44054006", d.getString("code.coding[0].code"));
        assertEquals("http://snomed.info/sct", d.getString("code.coding[0].system"));
        assertEquals("Type 2 diabetes", d.getString("code.text"));
        assertEquals("active", d.getString("clinicalStatus.coding[0].code"));
        assertEquals("confirmed", d.getString("verificationStatus.coding[0].code"));
        assertEquals("problem-list-item", d.getString("category[0].coding[0].code"));
        assertEquals("2015-04-01", d.getString("onsetDateTime"));
        assertEquals("Patient/" + patient, d.getString("subject.reference"));
        assertTrue(d.getString("recordedDate").startsWith("20"));

        JsonPath f = ok(fhir(owner).get("/fhir/Condition/" + flu), "Condition");
        assertEquals(List.of(FhirMapper.CONDITION_ENCOUNTER_PROFILE), f.getList("meta.profile"));
        assertEquals("2024-01-20", f.getString("abatementDateTime"));
        JsonPath c = ok(fhir(owner).get("/fhir/Condition/" + concern), "Condition");
        assertEquals(FhirMapper.US_CORE_CONDITION_CATEGORY, c.getString("category[0].coding[0].system"));
        assertEquals("health-concern", c.getString("category[0].coding[0].code"));

        // Search: the disease first, then the coded ones in id order; each filter narrows.
        assertEquals(List.of("d" + patient, String.valueOf(diabetes), String.valueOf(flu), String.valueOf(concern)),
                conditionIds(owner, patient, Map.of()));
        assertEquals(List.of("d" + patient, String.valueOf(diabetes)),
                conditionIds(owner, patient, Map.of("category", "problem-list-item")));
        assertEquals(List.of(String.valueOf(concern)), conditionIds(owner, patient,
                Map.of("category", FhirMapper.US_CORE_CONDITION_CATEGORY + "|health-concern")));
        assertEquals(List.of(String.valueOf(flu), String.valueOf(concern)),
                conditionIds(owner, patient, Map.of("category", "encounter-diagnosis,health-concern")));
        assertEquals(List.of(String.valueOf(diabetes)), conditionIds(owner, patient, Map.of("clinical-status", "active")));
        assertEquals(List.of(String.valueOf(diabetes), String.valueOf(flu)), conditionIds(owner, patient,
                Map.of("clinical-status", "http://terminology.hl7.org/CodeSystem/condition-clinical|active,resolved")));
        assertEquals(List.of(String.valueOf(flu)), conditionIds(owner, patient, Map.of("code", "J10.1")));
        assertEquals(List.of(String.valueOf(diabetes)), conditionIds(owner, patient, Map.of("code", "http://snomed.info/sct|44054006")));
        assertEquals(List.of(), conditionIds(owner, patient, Map.of("code", "http://hl7.org/fhir/sid/icd-10-cm|44054006")));
        for (Map<String, String> bad : List.<Map<String, String>> of(Map.of("category", "problem"), Map.of("clinical-status", "gone"),
                Map.of("category", FhirMapper.CONDITION_CATEGORY + "|health-concern"), Map.of("onset-date", "2020"))) {
            outcome(fhir(owner).queryParam("patient", patient).queryParams(bad).get("/fhir/Condition"), 400);
        }
        // Paging across the disease and the coded ones: every entry once.
        JsonPath first = ok(fhir(owner).queryParam("patient", patient).queryParam("_count", 3).get("/fhir/Condition"), "Bundle");
        assertEquals(4, first.getInt("total"));
        String next = first.getString("link.find { it.relation == 'next' }.url");
        assertEquals(List.of(String.valueOf(concern)), ok(fhir(owner).urlEncodingEnabled(false).get("/fhir/" + next), "Bundle")
                .getList("entry.resource.id"));
    }

    private static List<String> conditionIds(TestUser user, long patient, Map<String, String> query) {
        List<String> ids = ok(fhir(user).queryParam("patient", patient).queryParams(query).get("/fhir/Condition"), "Bundle")
                .getList("entry.resource.id");
        return ids == null ? List.of() : ids;
    }

    @Test
    void anAbatementTheStatusContradictsIsLeftOutNotServedInvalid() {
        // The REST API refuses such a record now (con-4); one written before that rule, or by hand, must still be served valid.
        TestUser owner = newUser();
        long patient = createPatient(owner, "Abated");
        long id = condition(owner, patient, Map.of("text", "Sprain", "clinicalStatus", "resolved", "onsetDate", "2024-01-01",
                "abatementDate", "2024-02-01"));
        org.acme.healthcare.support.OrgRows.update(db, "update conditions set clinical_status = 'active' where id = ?", id);
        JsonPath c = ok(fhir(owner).get("/fhir/Condition/" + id), "Condition");
        assertEquals("2024-01-01", c.getString("onsetDateTime"));
        assertNull(c.get("abatementDateTime"), "R4 con-4: an abated condition is inactive, resolved or remission");
    }
}
