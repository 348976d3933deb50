package org.acme.healthcare.fhir;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.fhir.UsCoreValidator.assertUsCore;
import static org.acme.healthcare.fhir.UsCoreValidator.assertValid;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.OrgRows;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * FHIR writes of Patient and Condition, refusal by refusal first (400 unparsable, 422 naming the
 * element, 404 another user's, 403 a reader, 412 stale If-Match or an ambiguous conditional
 * create, 409 a duplicate identifier), then what works, and that the REST API and the FHIR view
 * see one record. Every answer goes through HAPI's R4 validator.
 */
@QuarkusTest
class FhirWriteTest {
    static final String MRN = "http://hospital.example.org/mrn";
    static final String SNOMED = "http://snomed.info/sct";
    static final String CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category";
    static final String CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";

    @Inject
    AgroalDataSource db;
    @Inject
    AuditLog audit;

    static RequestSpecification fhir(TestUser user) {
        return given().header("Authorization", "Bearer " + user.token()).contentType("application/fhir+json");
    }

    static String mrn() {
        return "MRN-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** A US Core-complete Patient; {@code extra} is spliced in as more top-level elements. */
    static String patient(String mrn, String extra) {
        return "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + MRN + "\",\"value\":\"" + mrn + "\"}],"
                + "\"name\":[{\"family\":\"Doe\",\"given\":[\"Jane\",\"Q.\"]}],\"gender\":\"female\",\"birthDate\":\"1984-03-07\""
                + (extra == null || extra.isEmpty() ? "" : "," + extra) + "}";
    }

    static String condition(String subject, String extra) {
        return "{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"" + subject + "\"},"
                + "\"category\":[{\"coding\":[{\"system\":\"" + CATEGORY + "\",\"code\":\"problem-list-item\"}]}],"
                + "\"code\":{\"coding\":[{\"system\":\"" + SNOMED + "\",\"code\":\"44054006\",\"display\":\"Diabetes mellitus type 2\"}]}"
                + (extra == null || extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** An OperationOutcome with this status, valid, nothing internal in it; its issues' expressions. */
    static JsonPath outcome(Response response, int status) {
        String body = response.then().statusCode(status).contentType(startsWith("application/fhir+json"))
                .body(not(containsString("Exception"))).body(not(containsString("org.acme")))
                .body(not(containsString("urn:problem-type"))).extract().asString();
        assertValid(body);
        JsonPath json = JsonPath.from(body);
        assertEquals("OperationOutcome", json.getString("resourceType"));
        assertEquals("error", json.getString("issue[0].severity"));
        assertFalse(json.getString("issue[0].diagnostics").isBlank());
        return json;
    }

    /** The expressions of every issue, flattened. */
    static List<String> expressions(JsonPath outcome) {
        return outcome.getList("issue.expression.flatten()");
    }

    static JsonPath resource(Response response, int status, String type) {
        String body = response.then().statusCode(status).contentType(startsWith("application/fhir+json")).extract().asString();
        assertUsCore(body);
        JsonPath json = JsonPath.from(body);
        assertEquals(type, json.getString("resourceType"));
        return json;
    }

    static long createPatient(TestUser user, String body) {
        return Long.parseLong(resource(fhir(user).body(body).post("/fhir/Patient"), 201, "Patient").getString("id"));
    }

    // ---------------------------------------------------------------- 400: not a FHIR resource of the route's type

    @Test
    void bodiesThatAreNotFhirPatientsAre400() {
        TestUser user = newUser();
        outcome(fhir(user).body("not json").post("/fhir/Patient"), 400);
        outcome(fhir(user).body("{\"name\": \"Jane\"}").post("/fhir/Patient"), 400);
        outcome(fhir(user).body("{\"resourceType\": \"Starship\"}").post("/fhir/Patient"), 400);
        outcome(fhir(user).body(condition("Patient/1", null)).post("/fhir/Patient"), 400);
        outcome(fhir(user).body(patient(mrn(), null)).post("/fhir/Condition"), 400);
        // An element FHIR R4 does not have (a typo of birthDate) would be lost silently: refused.
        JsonPath typo = outcome(fhir(user).body(patient(mrn(), "\"birthdate\":\"1990-01-01\"")).post("/fhir/Patient"), 400);
        assertTrue(typo.getString("issue[0].diagnostics").contains("birthdate"), typo.prettify());
        // A value its FHIR datatype does not allow; never echoed.
        JsonPath date = outcome(fhir(user).body(patient(mrn(), null).replace("1984-03-07", "1984-13-45")).post("/fhir/Patient"), 400);
        assertFalse(date.prettify().contains("1984-13-45"));
        outcome(fhir(user).body(patient(mrn(), null).replace("\"female\"", "\"feminine\"")).post("/fhir/Patient"), 400);
        outcome(fhir(user).body(patient(mrn(), "\"gender\":[\"female\",\"male\"]").replaceFirst(",\"gender\":\"female\"", ""))
                .post("/fhir/Patient"), 400);
        // application/json is accepted as well; another media type is 415.
        given().header("Authorization", "Bearer " + user.token()).contentType("application/xml").body("<Patient/>")
                .post("/fhir/Patient").then().statusCode(415);
        // PUT: the body's id must be the URL's.
        long id = createPatient(user, patient(mrn(), null));
        outcome(fhir(user).body(patient(mrn(), null)).put("/fhir/Patient/" + id), 400);
        outcome(fhir(user).body(patient(mrn(), "\"id\":\"" + (id + 1) + "\"")).put("/fhir/Patient/" + id), 400);
    }

    // ---------------------------------------------------------------- 422: breaks US Core or the record's rules

    @Test
    void patientsThatBreakUsCoreOrOurRulesAre422NamingTheElement() {
        TestUser user = newUser();
        String noIdentifier = patient(mrn(), null).replaceFirst("\"identifier\":\\[[^]]*],", "");
        assertEquals(List.of("Patient.identifier"), expressions(outcome(fhir(user).body(noIdentifier).post("/fhir/Patient"), 422)));
        String noSystem = patient(mrn(), null).replace("\"system\":\"" + MRN + "\",", "");
        assertEquals(List.of("Patient.identifier[0].system"), expressions(outcome(fhir(user).body(noSystem).post("/fhir/Patient"), 422)));
        String noGender = patient(mrn(), null).replace(",\"gender\":\"female\"", "");
        assertEquals(List.of("Patient.gender"), expressions(outcome(fhir(user).body(noGender).post("/fhir/Patient"), 422)));
        String future = patient(mrn(), null).replace("1984-03-07", LocalDate.now(ZoneOffset.UTC).plusDays(2).toString());
        assertEquals(List.of("Patient.birthDate"), expressions(outcome(fhir(user).body(future).post("/fhir/Patient"), 422)));
        String yearOnly = patient(mrn(), null).replace("1984-03-07", "1984");
        assertEquals(List.of("Patient.birthDate"), expressions(outcome(fhir(user).body(yearOnly).post("/fhir/Patient"), 422)));
        String noName = patient(mrn(), null).replace("\"name\":[{\"family\":\"Doe\",\"given\":[\"Jane\",\"Q.\"]}],", "");
        assertEquals(List.of("Patient.name"), expressions(outcome(fhir(user).body(noName).post("/fhir/Patient"), 422)));
        String badEmail = patient(mrn(), "\"telecom\":[{\"system\":\"phone\",\"value\":\"+1 555 0100\"},"
                + "{\"system\":\"email\",\"value\":\"not an email\"}]");
        assertEquals(List.of("Patient.telecom[1].value"), expressions(outcome(fhir(user).body(badEmail).post("/fhir/Patient"), 422)));
        String badValue = patient("has space", null);
        assertEquals(List.of("Patient.identifier[0].value"), expressions(outcome(fhir(user).body(badValue).post("/fhir/Patient"), 422)));
        String otherOrg = patient(mrn(), "\"managingOrganization\":{\"reference\":\"http://elsewhere.example/Organization/1\"}");
        assertEquals(List.of("Patient.managingOrganization"), expressions(outcome(fhir(user).body(otherOrg).post("/fhir/Patient"), 422)));
        // Every broken element at once, as the REST API reports every bad field.
        String both = noGender.replace("\"system\":\"" + MRN + "\",", "");
        assertEquals(List.of("Patient.gender", "Patient.identifier[0].system"),
                expressions(outcome(fhir(user).body(both).post("/fhir/Patient"), 422)).stream().sorted().toList());
        // Nothing was created by any of them.
        assertEquals(0, as(user).get("/api/patients").then().statusCode(200).extract().jsonPath().getList("").size());
    }

    @Test
    void conditionsThatBreakUsCoreOrOurRulesAre422NamingTheElement() {
        TestUser user = newUser();
        long id = createPatient(user, patient(mrn(), null));
        String subject = "Patient/" + id;
        String checkDigit = condition(subject, null).replace("44054006", "44054007");
        assertEquals(List.of("Condition.code.coding[0].code"), expressions(outcome(fhir(user).body(checkDigit).post("/fhir/Condition"), 422)));
        String system = condition(subject, null).replace(SNOMED, "http://loinc.org");
        assertEquals(List.of("Condition.code.coding[0].system"), expressions(outcome(fhir(user).body(system).post("/fhir/Condition"), 422)));
        String icd = condition(subject, null).replace(SNOMED, "http://hl7.org/fhir/sid/icd-10-cm");
        assertEquals(List.of("Condition.code.coding[0].code"), expressions(outcome(fhir(user).body(icd).post("/fhir/Condition"), 422)));
        String noCategory = condition(subject, null).replaceFirst("\"category\":\\[.*?]}],", "");
        assertEquals(List.of("Condition.category"), expressions(outcome(fhir(user).body(noCategory).post("/fhir/Condition"), 422)));
        String otherCategory = condition(subject, null).replace("problem-list-item", "something-else");
        assertEquals(List.of("Condition.category[0]"), expressions(outcome(fhir(user).body(otherCategory).post("/fhir/Condition"), 422)));
        String noSubject = condition(subject, null).replace("\"subject\":{\"reference\":\"" + subject + "\"},", "");
        assertEquals(List.of("Condition.subject"), expressions(outcome(fhir(user).body(noSubject).post("/fhir/Condition"), 422)));
        String notAPatient = condition("Practitioner/" + id, null);
        assertEquals(List.of("Condition.subject"), expressions(outcome(fhir(user).body(notAPatient).post("/fhir/Condition"), 422)));
        // The service's own rule across fields (abatement before onset), named as FHIR's element.
        String backwards = condition(subject, "\"clinicalStatus\":{\"coding\":[{\"system\":\"" + CLINICAL + "\",\"code\":\"resolved\"}]},"
                + "\"onsetDateTime\":\"2020-05-01\",\"abatementDateTime\":\"2019-01-01\"");
        assertEquals(List.of("Condition.abatement"), expressions(outcome(fhir(user).body(backwards).post("/fhir/Condition"), 422)));
        // FHIR's con-4: an abated condition is not active.
        String abatedActive = condition(subject, "\"clinicalStatus\":{\"coding\":[{\"system\":\"" + CLINICAL + "\",\"code\":\"active\"}]},"
                + "\"abatementDateTime\":\"2021-01-01\"");
        assertEquals(List.of("Condition.clinicalStatus"), expressions(outcome(fhir(user).body(abatedActive).post("/fhir/Condition"), 422)));
        String onsetString = condition(subject, "\"onsetString\":\"childhood\"");
        assertEquals(List.of("Condition.onset"), expressions(outcome(fhir(user).body(onsetString).post("/fhir/Condition"), 422)));
        assertEquals(0, as(user).get("/api/patients/" + id + "/conditions").then().statusCode(200).extract().jsonPath().getList("").size());
    }

    // ---------------------------------------------------------------- 404, 403: the REST API's access rule

    @Test
    void otherUsersPatientIsNotFoundForEveryWrite() {
        TestUser owner = newUser();
        TestUser other = newUser();
        String mrn = mrn();
        long id = createPatient(owner, patient(mrn, null));
        outcome(fhir(other).body(patient(mrn, "\"id\":\"" + id + "\"")).put("/fhir/Patient/" + id), 404);
        outcome(fhir(other).delete("/fhir/Patient/" + id), 404);
        outcome(fhir(other).body(condition("Patient/" + id, null)).post("/fhir/Condition"), 404);
        long cid = Long.parseLong(resource(fhir(owner).body(condition("Patient/" + id, null)).post("/fhir/Condition"), 201, "Condition")
                .getString("id"));
        outcome(fhir(other).body(condition("Patient/" + id, "\"id\":\"" + cid + "\"")).put("/fhir/Condition/" + cid), 404);
        outcome(fhir(other).delete("/fhir/Condition/" + cid), 404);
        outcome(fhir(owner).delete("/fhir/Condition/987654321987"), 404);
        outcome(fhir(owner).delete("/fhir/Patient/987654321987"), 404);
        // Nothing changed.
        JsonPath rest = as(owner).get("/api/patients/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals(0, rest.getInt("version"));
        as(owner).get("/api/patients/" + id + "/conditions/" + cid).then().statusCode(200);
    }

    @Test
    void aReaderOfTheOrganizationMayNotWrite() {
        TestUser admin = newUser();
        TestUser reader = newUser();
        TestUser outsider = newUser();
        long org = OrgRows.create(db, "Clinic " + UUID.randomUUID(), admin.id());
        OrgRows.join(db, org, reader.id(), "reader");
        String managed = "\"managingOrganization\":{\"reference\":\"Organization/" + org + "\"}";
        outcome(fhir(reader).body(patient(mrn(), managed)).post("/fhir/Patient"), 403);
        outcome(fhir(outsider).body(patient(mrn(), managed)).post("/fhir/Patient"), 404);
        String mrn = mrn();
        long id = createPatient(admin, patient(mrn, managed));
        outcome(fhir(reader).body(patient(mrn, "\"id\":\"" + id + "\"," + managed)).put("/fhir/Patient/" + id), 403);
        outcome(fhir(reader).delete("/fhir/Patient/" + id), 403);
        outcome(fhir(reader).body(condition("Patient/" + id, null)).post("/fhir/Condition"), 403);
        // The reader still reads it (the read side), and the organization's patient is what the admin created.
        assertEquals(String.valueOf(org), as(admin).get("/api/patients/" + id).then().statusCode(200).extract().jsonPath()
                .getString("organizationId"));
    }

    // ---------------------------------------------------------------- 412, 409

    @Test
    void staleIfMatchIs412AndChangesNothing() {
        TestUser user = newUser();
        String mrn = mrn();
        long id = createPatient(user, patient(mrn, null));
        String body = patient(mrn, "\"id\":\"" + id + "\"").replace("Doe", "Roe");
        resource(fhir(user).header("If-Match", "W/\"0\"").body(body).put("/fhir/Patient/" + id), 200, "Patient");
        outcome(fhir(user).header("If-Match", "W/\"0\"").body(body.replace("Roe", "Poe")).put("/fhir/Patient/" + id), 412);
        outcome(fhir(user).header("If-Match", "W/\"0\"").delete("/fhir/Patient/" + id), 412);
        JsonPath rest = as(user).get("/api/patients/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals("Roe", rest.getString("familyName"));
        assertEquals(1, rest.getInt("version"));
        long cid = Long.parseLong(resource(fhir(user).body(condition("Patient/" + id, null)).post("/fhir/Condition"), 201,
                "Condition").getString("id"));
        String c = condition("Patient/" + id, "\"id\":\"" + cid + "\"");
        resource(fhir(user).header("If-Match", "W/\"0\"").body(c).put("/fhir/Condition/" + cid), 200, "Condition");
        outcome(fhir(user).header("If-Match", "W/\"0\"").body(c).put("/fhir/Condition/" + cid), 412);
        outcome(fhir(user).header("If-Match", "W/\"0\"").delete("/fhir/Condition/" + cid), 412);
        fhir(user).header("If-Match", "W/\"1\"").delete("/fhir/Condition/" + cid).then().statusCode(204);
        fhir(user).header("If-Match", "W/\"1\"").delete("/fhir/Patient/" + id).then().statusCode(204);
    }

    @Test
    void conditionalCreateMatchingSeveralPatientsIs412() {
        TestUser user = newUser();
        long org = OrgRows.create(db, "Clinic " + UUID.randomUUID(), user.id());
        String mrn = mrn();
        createPatient(user, patient(mrn, null));
        createPatient(user, patient(mrn, "\"managingOrganization\":{\"reference\":\"Organization/" + org + "\"}"));
        outcome(fhir(user).header("If-None-Exist", "identifier=" + MRN + "|" + mrn).body(patient(mrn, null)).post("/fhir/Patient"), 412);
        outcome(fhir(user).header("If-None-Exist", "name=Doe").body(patient(mrn(), null)).post("/fhir/Patient"), 400);
        outcome(fhir(user).header("If-None-Exist", "identifier=" + mrn).body(patient(mrn(), null)).post("/fhir/Patient"), 400);
        assertEquals(2, as(user).queryParam("identifier", MRN + "|" + mrn).get("/api/patients").then().statusCode(200)
                .extract().jsonPath().getList("").size());
    }

    @Test
    void aDuplicateIdentifierIs409AsInTheRestApi() {
        TestUser user = newUser();
        String mrn = mrn();
        createPatient(user, patient(mrn, null));
        JsonPath o = outcome(fhir(user).body(patient(mrn, null)).post("/fhir/Patient"), 409);
        assertEquals("conflict", o.getString("issue[0].code"));
    }

    // ---------------------------------------------------------------- what works

    @Test
    void createAnswers201WithLocationEtagAndTheRecordTheRestApiSees() {
        TestUser user = newUser();
        String mrn = mrn();
        String body = patient(mrn, "\"telecom\":[{\"system\":\"phone\",\"value\":\"+1 555 0100\"},{\"system\":\"email\","
                + "\"value\":\"jane@example.com\"}],\"address\":[{\"line\":[\"1 Main St\",\"Apt 2\"],\"city\":\"Springfield\"}],"
                + "\"extension\":[{\"url\":\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex\",\"valueCode\":\"F\"}],"
                + "\"maritalStatus\":{\"text\":\"Married\"}");
        Response created = fhir(user).body(body).post("/fhir/Patient");
        JsonPath p = resource(created, 201, "Patient");
        long id = Long.parseLong(p.getString("id"));
        assertTrue(created.header("Location").endsWith("/fhir/Patient/" + id + "/_history/0"), created.header("Location"));
        assertEquals("W/\"0\"", created.header("ETag"));
        assertEquals("0", p.getString("meta.versionId"));
        JsonPath rest = as(user).get("/api/patients/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals("Jane Q. Doe", rest.getString("name"));
        assertEquals("Doe", rest.getString("familyName"));
        assertEquals(List.of("Jane", "Q."), rest.getList("givenNames"));
        assertEquals("female", rest.getString("gender"));
        assertEquals("1984-03-07", rest.getString("birthDate"));
        assertEquals(List.of(Map.of("system", MRN, "value", mrn)), rest.getList("identifiers"));
        assertEquals("+1 555 0100", rest.getString("phone"));
        assertEquals("jane@example.com", rest.getString("email"));
        assertEquals("1 Main St, Apt 2, Springfield", rest.getString("address"));
        // The FHIR read shows the same record.
        JsonPath read = resource(fhir(user).get("/fhir/Patient/" + id), 200, "Patient");
        assertEquals(p.getString("name[0].text"), read.getString("name[0].text"));
        assertEquals("Jane Q. Doe", read.getString("name[0].text"));
    }

    @Test
    void nameTextWinsAndApplicationJsonIsAccepted() {
        TestUser user = newUser();
        String body = patient(mrn(), null).replace("\"family\":\"Doe\"", "\"text\":\"Dr. Jane Doe\",\"family\":\"Doe\"");
        long id = Long.parseLong(resource(given().header("Authorization", "Bearer " + user.token()).contentType("application/json")
                .body(body).post("/fhir/Patient"), 201, "Patient").getString("id"));
        assertEquals("Dr. Jane Doe", as(user).get("/api/patients/" + id).then().extract().jsonPath().getString("name"));
    }

    @Test
    void conditionalCreateAnswersTheExistingPatientOnce() {
        TestUser user = newUser();
        String mrn = mrn();
        String ifNoneExist = "identifier=" + MRN + "|" + mrn;
        long first = Long.parseLong(resource(fhir(user).header("If-None-Exist", ifNoneExist).body(patient(mrn, null))
                .post("/fhir/Patient"), 201, "Patient").getString("id"));
        Response again = fhir(user).header("If-None-Exist", ifNoneExist).body(patient(mrn, null)).post("/fhir/Patient");
        assertEquals(String.valueOf(first), resource(again, 200, "Patient").getString("id"));
        assertEquals("W/\"0\"", again.header("ETag"));
        // Another user's patient with that identifier is not among what this caller may read: created for her.
        TestUser other = newUser();
        long hers = Long.parseLong(resource(fhir(other).header("If-None-Exist", ifNoneExist).body(patient(mrn, null))
                .post("/fhir/Patient"), 201, "Patient").getString("id"));
        assertNotEquals(first, hers);
        assertEquals(1, as(user).queryParam("identifier", MRN + "|" + mrn).get("/api/patients").then().extract().jsonPath().getList("").size());
    }

    @Test
    void updateReplacesTheRecordAndTheRestApiSeesItAtOnceAndViceVersa() {
        TestUser user = newUser();
        long org = OrgRows.create(db, "Clinic " + UUID.randomUUID(), user.id());
        // REST-written, FHIR-changed: moved into the organization by managingOrganization.
        long id = as(user).body(Map.of("name", "Jane Doe", "phone", "+1 555 0100", "disease", "Asthma")).post("/api/patients")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        String mrn = mrn();
        String body = patient(mrn, "\"id\":\"" + id + "\",\"managingOrganization\":{\"reference\":\"Organization/" + org + "\"}");
        Response updated = fhir(user).header("If-Match", "W/\"0\"").body(body).put("/fhir/Patient/" + id);
        JsonPath p = resource(updated, 200, "Patient");
        String version = p.getString("meta.versionId");
        assertEquals("W/\"" + version + "\"", updated.header("ETag"));
        assertNotEquals("0", version);
        JsonPath rest = as(user).get("/api/patients/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals(org, rest.getLong("organizationId"));
        assertEquals("1984-03-07", rest.getString("birthDate"));
        assertEquals(null, rest.getString("phone"), "FHIR's update replaces: no telecom, no phone");
        assertEquals("Asthma", rest.getString("disease"), "what FHIR's Patient does not carry stays");
        // History: the REST create and the FHIR update.
        assertEquals(List.of("update", "create"), as(user).get("/api/patients/" + id + "/history").then().statusCode(200)
                .extract().jsonPath().getList("action"));
        // REST changes it again; FHIR sees the new version and the one before is stale.
        as(user).body(Map.of("name", "Jane Roe")).put("/api/patients/" + id).then().statusCode(200);
        JsonPath read = resource(fhir(user).get("/fhir/Patient/" + id), 200, "Patient");
        assertEquals("Jane Roe", read.getString("name[0].text"));
        assertNotEquals(version, read.getString("meta.versionId"));
        outcome(fhir(user).header("If-Match", "W/\"" + version + "\"").body(body).put("/fhir/Patient/" + id), 412);
        // A patient never leaves its organization: without managingOrganization it stays, another one is 409.
        resource(fhir(user).body(patient(mrn, "\"id\":\"" + id + "\"")).put("/fhir/Patient/" + id), 200, "Patient");
        assertEquals(org, as(user).get("/api/patients/" + id).then().extract().jsonPath().getLong("organizationId"));
        long org2 = OrgRows.create(db, "Clinic " + UUID.randomUUID(), user.id());
        outcome(fhir(user).body(patient(mrn, "\"id\":\"" + id + "\",\"managingOrganization\":{\"reference\":\"Organization/"
                + org2 + "\"}")).put("/fhir/Patient/" + id), 409);
    }

    @Test
    void conditionsWrittenThroughFhirAreTheRestApisConditions() {
        TestUser user = newUser();
        long id = createPatient(user, patient(mrn(), null));
        String body = condition("Patient/" + id, "\"clinicalStatus\":{\"coding\":[{\"system\":\"" + CLINICAL
                + "\",\"code\":\"resolved\"}]},\"verificationStatus\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/condition-ver-status\",\"code\":\"confirmed\"}]},"
                + "\"onsetDateTime\":\"2015-03-12T10:31:03-04:00\",\"abatementDateTime\":\"2019-01-01\","
                + "\"recordedDate\":\"2015-03-13T09:00:00Z\"").replace("\"display\":\"Diabetes mellitus type 2\"}]}",
                        "\"display\":\"Diabetes mellitus type 2\"}],\"text\":\"Type 2 diabetes\"}");
        Response created = fhir(user).body(body).post("/fhir/Condition");
        JsonPath c = resource(created, 201, "Condition");
        long cid = Long.parseLong(c.getString("id"));
        assertTrue(created.header("Location").endsWith("/fhir/Condition/" + cid + "/_history/0"), created.header("Location"));
        JsonPath rest = as(user).get("/api/patients/" + id + "/conditions/" + cid).then().statusCode(200).extract().jsonPath();
        assertEquals(SNOMED, rest.getString("code.system"));
        assertEquals("44054006", rest.getString("code.code"));
        assertEquals("Diabetes mellitus type 2", rest.getString("code.display"));
        assertEquals("Type 2 diabetes", rest.getString("text"));
        assertEquals("problem-list-item", rest.getString("category"));
        assertEquals("resolved", rest.getString("clinicalStatus"));
        assertEquals("confirmed", rest.getString("verificationStatus"));
        assertEquals("2015-03-12", rest.getString("onsetDate"), "the date as written, in its own offset");
        assertEquals("2019-01-01", rest.getString("abatementDate"));
        assertEquals("2015-03-13T09:00:00Z", rest.getString("recordedAt"));
        assertEquals(user.id(), rest.getLong("recordedBy"));
        // A REST change, then a FHIR update from that version.
        as(user).body(Map.of("text", "T2DM")).put("/api/patients/" + id + "/conditions/" + cid).then().statusCode(200);
        String update = condition("Patient/" + id, "\"id\":\"" + cid + "\"").replace("problem-list-item", "encounter-diagnosis");
        resource(fhir(user).header("If-Match", "W/\"1\"").body(update).put("/fhir/Condition/" + cid), 200, "Condition");
        JsonPath after = as(user).get("/api/patients/" + id + "/conditions/" + cid).then().statusCode(200).extract().jsonPath();
        assertEquals("encounter-diagnosis", after.getString("category"));
        assertEquals(null, after.getString("text"), "FHIR's update replaces: no code.text, no text");
        assertEquals("2015-03-13T09:00:00Z", after.getString("recordedAt"), "recordedDate left out keeps when it was recorded");
        // A subject that is not the condition's patient finds no such condition.
        long other = createPatient(user, patient(mrn(), null));
        outcome(fhir(user).body(condition("Patient/" + other, "\"id\":\"" + cid + "\"")).put("/fhir/Condition/" + cid), 404);
        // The disease-text Condition is written through the patient.
        outcome(fhir(user).delete("/fhir/Condition/d" + id), 405);
        fhir(user).delete("/fhir/Condition/" + cid).then().statusCode(204);
        as(user).get("/api/patients/" + id + "/conditions/" + cid).then().statusCode(404);
    }

    @Test
    void deleteIs204AndTheHistoryKeepsIt() {
        TestUser user = newUser();
        long id = createPatient(user, patient(mrn(), null));
        fhir(user).delete("/fhir/Patient/" + id).then().statusCode(204);
        as(user).get("/api/patients/" + id).then().statusCode(404);
        outcome(fhir(user).get("/fhir/Patient/" + id), 404);
        assertEquals(List.of("delete", "create"), as(user).get("/api/patients/" + id + "/history").then().statusCode(200)
                .extract().jsonPath().getList("action"));
    }

    @Test
    void fhirWritesAreAuditedAsRestOnesAreWithViaFhir() throws Exception {
        TestUser user = newUser();
        long id = createPatient(user, patient(mrn(), null));
        resource(fhir(user).body(condition("Patient/" + id, null)).post("/fhir/Condition"), 201, "Condition");
        fhir(user).delete("/fhir/Patient/" + id).then().statusCode(204);
        assertTrue(audit.flush(10_000));
        List<String> events = new java.util.ArrayList<>();
        try (var c = db.getConnection(); var ps = c.prepareStatement("select action, via, actor_id, detail::text from audit_events"
                + " where record_type = 'patient' and record_id = ? and outcome = 'success' order by id")) {
            ps.setLong(1, id);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertEquals(user.id(), rs.getLong(3));
                    events.add(rs.getString(1) + "/" + rs.getString(2) + (rs.getString(4) != null && rs.getString(4).contains("condition") ? "/condition" : ""));
                }
            }
        }
        assertEquals(List.of("create/fhir", "create/fhir/condition", "delete/fhir"), events);
    }
}
