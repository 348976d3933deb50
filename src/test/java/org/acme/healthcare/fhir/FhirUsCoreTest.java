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
}
