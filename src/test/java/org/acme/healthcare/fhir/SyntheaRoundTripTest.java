package org.acme.healthcare.fhir;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.fhir.UsCoreValidator.assertUsCore;
import static org.acme.healthcare.fhir.UsCoreValidator.assertValid;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Issue 20's round trip on a small seeded set: five of Synthea's patients (seed 20261206, reference
 * date 2026-12-01; src/test/resources/synthea/transaction.json, made by
 * {@code bench/lib/synthea.py fixture}: a deceased patient, one with a maiden name, typed
 * identifiers with {@code urn:oid:} and {@code us-ssn} systems, US Core race, ethnicity and birth-sex
 * extensions, names with Synthea's digits, 40 SNOMED CT conditions with onset timestamps, some
 * resolved with an abatement, one code five times) go in as one {@code transaction} Bundle, as
 * Synthea writes them (conditions' {@code subject} an {@code urn:uuid:}, the patients'
 * {@code ifNoneExist}) less the encounter references, and come back equal through both doors: every
 * patient found by each of its identifiers, identifiers (system and value), birth date, gender,
 * official name, and each condition's code, onset and abatement dates and statuses.
 * bench/synthea.sh does the same with 100 patients and times it.
 */
@QuarkusTest
class SyntheaRoundTripTest {
    static final String SYNTHEA = "https://github.com/synthetichealth/synthea";
    static final String OWN_ID = FhirInbound.OWN_ID_SYSTEM;

    @Test
    void syntheaPatientsAndConditionsComeBackAsSent() {
        String bundle = fixture();
        List<Map<String, Object>> sent = JsonPath.from(bundle).getList("entry.resource");
        List<Map<String, Object>> patients = sent.stream().filter(r -> "Patient".equals(r.get("resourceType"))).toList();
        assertEquals(5, patients.size());
        assertEquals(45, sent.size());
        TestUser user = newUser();

        String response = given().header("Authorization", "Bearer " + user.token())
                .contentType("application/fhir+json").body(bundle).post("/fhir")
                .then().statusCode(200).contentType(startsWith("application/fhir+json")).extract().asString();
        assertValid(response);
        JsonPath answer = JsonPath.from(response);
        assertEquals("transaction-response", answer.getString("type"));
        List<String> statuses = answer.getList("entry.response.status");
        assertEquals(sent.size(), statuses.size());
        statuses.forEach(s -> assertTrue(s.startsWith("201"), "every entry is created: " + statuses));

        for (Map<String, Object> patient : patients) {
            String fullUrl = "urn:uuid:" + patient.get("id");
            List<Map<String, Object>> conditions = sent.stream()
                    .filter(r -> "Condition".equals(r.get("resourceType")))
                    .filter(r -> fullUrl.equals(((Map<?, ?>) r.get("subject")).get("reference"))).toList();
            assertTrue(!conditions.isEmpty(), "the fixture gives every patient conditions");
            roundTripped(user, patient, conditions);
        }
    }

    /** The patient and its conditions, as sent, through FHIR and through the REST API. */
    private static void roundTripped(TestUser user, Map<String, Object> sent, List<Map<String, Object>> sentConditions) {
        List<String> identifiers = identifiers(sent.get("identifier"), "system", "value");
        String synthea = identifiers.stream().filter(i -> i.startsWith(SYNTHEA + "|")).findFirst().orElseThrow();
        Map<String, Object> name = officialName(sent);

        // FHIR: each identifier finds this one patient.
        String id = null;
        for (String identifier : identifiers) {
            JsonPath search = fhirOk(user, "/fhir/Patient", Map.of("identifier", identifier));
            assertEquals(1, search.getInt("total"), identifier);
            String found = search.getString("entry[0].resource.id");
            id = id == null ? found : id;
            assertEquals(id, found, "every identifier finds the same patient: " + identifier);
        }
        JsonPath read = fhirOk(user, "/fhir/Patient", Map.of("identifier", synthea));
        Map<String, Object> patient = read.getMap("entry[0].resource");
        // The FHIR view adds the record's own id as an identifier of its own system: not sent, not compared.
        List<String> readIdentifiers = identifiers(patient.get("identifier"), "system", "value");
        assertTrue(readIdentifiers.contains(OWN_ID + "|" + id), synthea + ": " + readIdentifiers);
        assertEquals(identifiers, readIdentifiers.stream().filter(i -> !i.startsWith(OWN_ID + "|")).toList(), synthea);
        assertEquals(sent.get("birthDate"), patient.get("birthDate"), synthea);
        assertEquals(sent.get("gender"), patient.get("gender"), synthea);
        Map<String, Object> readName = officialName(patient);
        assertEquals(name.get("family"), readName.get("family"), synthea);
        assertEquals(name.get("given"), readName.get("given"), synthea);

        List<String> want = sentConditions.stream().map(SyntheaRoundTripTest::facts).sorted().toList();
        JsonPath conditions = fhirOk(user, "/fhir/Condition", Map.of("patient", id, "_count", "500"));
        List<Map<String, Object>> fhirConditions = conditions.getList("entry.resource");
        assertEquals(want, fhirConditions.stream().filter(c -> !String.valueOf(c.get("id")).startsWith("d"))
                .map(SyntheaRoundTripTest::facts).sorted().toList(), synthea + ": the FHIR conditions");

        // REST: the same record.
        JsonPath rest = as(user).queryParam("identifier", synthea).get("/api/patients")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(1, rest.getList("$").size(), synthea);
        assertEquals(id, rest.getString("[0].id"));
        assertEquals(identifiers, identifiers(rest.get("[0].identifiers"), "system", "value"));
        assertEquals(sent.get("birthDate"), rest.getString("[0].birthDate"));
        assertEquals(name.get("family"), rest.getString("[0].familyName"));
        assertEquals(name.get("given"), rest.getList("[0].givenNames"));
        List<Map<String, Object>> restConditions = as(user).queryParam("size", 500)
                .get("/api/patients/" + id + "/conditions").then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(want, restConditions.stream().map(SyntheaRoundTripTest::restFacts).sorted().toList(),
                synthea + ": the REST conditions");
    }

    /** A search's 200, its Bundle valid against US Core 6.1.0 (REST Assured encodes the parameters). */
    private static JsonPath fhirOk(TestUser user, String path, Map<String, String> params) {
        String body = given().header("Authorization", "Bearer " + user.token()).queryParams(params).get(path)
                .then().statusCode(200).contentType(startsWith("application/fhir+json")).extract().asString();
        assertUsCore(body);
        return JsonPath.from(body);
    }

    /** {@code system|value} of each, sorted. */
    @SuppressWarnings("unchecked")
    private static List<String> identifiers(Object list, String system, String value) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> i : (List<Map<String, Object>>) list) {
            out.add(i.get(system) + "|" + i.get(value));
        }
        return out.stream().sorted().toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> officialName(Map<String, Object> patient) {
        List<Map<String, Object>> names = (List<Map<String, Object>>) patient.get("name");
        return names.stream().filter(n -> "official".equals(n.get("use"))).findFirst().orElse(names.get(0));
    }

    /**
     * What the API keeps of a FHIR Condition: the code (system, code), the dates of onset and
     * abatement (Synthea's timestamps are UTC; the record keeps the date), the statuses, the category.
     */
    @SuppressWarnings("unchecked")
    private static String facts(Map<String, Object> c) {
        Map<String, Object> coding = ((List<Map<String, Object>>) ((Map<String, Object>) c.get("code")).get("coding")).get(0);
        Map<String, Object> f = new TreeMap<>();
        f.put("code", coding.get("system") + "|" + coding.get("code"));
        f.put("onset", date(c.get("onsetDateTime")));
        f.put("abatement", date(c.get("abatementDateTime")));
        f.put("clinicalStatus", firstCode(c.get("clinicalStatus")));
        f.put("verificationStatus", firstCode(c.get("verificationStatus")));
        f.put("category", firstCode(((List<Object>) c.get("category")).get(0)));
        return f.toString();
    }

    @SuppressWarnings("unchecked")
    private static String restFacts(Map<String, Object> c) {
        Map<String, Object> code = (Map<String, Object>) c.get("code");
        Map<String, Object> f = new TreeMap<>();
        f.put("code", code.get("system") + "|" + code.get("code"));
        f.put("onset", Objects.toString(c.get("onsetDate"), null));
        f.put("abatement", Objects.toString(c.get("abatementDate"), null));
        f.put("clinicalStatus", c.get("clinicalStatus"));
        f.put("verificationStatus", c.get("verificationStatus"));
        f.put("category", c.get("category"));
        return f.toString();
    }

    private static String date(Object dateTime) {
        return dateTime == null ? null : dateTime.toString().substring(0, 10);
    }

    @SuppressWarnings("unchecked")
    private static Object firstCode(Object concept) {
        return concept == null ? null : ((List<Map<String, Object>>) ((Map<String, Object>) concept).get("coding")).get(0).get("code");
    }

    private static String fixture() {
        try (InputStream in = SyntheaRoundTripTest.class.getResourceAsStream("/synthea/transaction.json")) {
            return new String(Objects.requireNonNull(in, "src/test/resources/synthea/transaction.json").readAllBytes(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
