package org.acme.healthcare.patient;

import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.createPatient;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import java.util.stream.Stream;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * A bad patient body answers every bad field at once, one entry each, on POST and PUT: a value
 * that does not even read (wrong type, unknown gender) hides nothing; an alias sent with its
 * field and a name nobody can see are errors too; and a PUT that is refused changes nothing.
 */
@QuarkusTest
class PatientFieldErrorsTest {

    private static ValidatableResponse post(TestUser user, String json) {
        return as(user).body(json).post("/api/patients").then();
    }

    private static ValidatableResponse put(TestUser user, long id, String json) {
        return as(user).body(json).put("/api/patients/" + id).then();
    }

    /** The patient is as created: a refused PUT changed nothing. */
    private static void unchanged(TestUser owner, long id, String name) {
        as(owner).get("/api/patients/" + id).then().statusCode(200).body("name", equalTo(name))
                .body("version", equalTo(0)).body("age", nullValue()).body("disease", nullValue());
    }

    @Test
    void postReportsTheMissingNameTheAgeOutOfRangeAndTheUnknownGenderTogether() {
        assertProblem(post(newUser(), "{\"age\": -5, \"gender\": \"robot\"}"), 400)
                .body("errors.field", contains("age", "gender", "name"))
                .body("errors.message", not(containsString("robot")));
    }

    @Test
    void putReportsEveryBadFieldAndChangesNothing() {
        TestUser owner = newUser();
        long id = createPatient(owner, "Kept");
        assertProblem(put(owner, id, "{\"name\": null, \"age\": 151, \"gender\": \"robot\", \"email\": \"nope\"}"), 400)
                .body("errors.field", contains("age", "email", "gender", "name"));
        unchanged(owner, id, "Kept");
    }

    static Stream<Arguments> unreadableValues() {
        return Stream.of(
                // {body, fields expected on POST (name is missing there unless sent)}
                Arguments.of("{\"name\": 12, \"age\": \"12\", \"phone\": 5, \"address\": \"" + "x".repeat(501) + "\"}",
                        new String[] { "address", "age", "name", "phone" }),
                Arguments.of("{\"age\": 1.5, \"address\": {\"a\": 1}, \"email\": \"nope\", \"disease\": [\"x\"]}",
                        new String[] { "address", "age", "disease", "email", "name" }),
                Arguments.of("{\"name\": \"A\", \"gender\": 3, \"age\": true, \"phone\": \"1\\u0000\"}",
                        new String[] { "age", "gender", "phone" }),
                Arguments.of("{\"name\": \"A\", \"age\": 99999999999, \"email\": false, \"disease\": \"" + "x".repeat(2001) + "\"}",
                        new String[] { "age", "disease", "email" }));
    }

    @ParameterizedTest
    @MethodSource("unreadableValues")
    void aValueThatDoesNotReadHidesNoOtherErrorOnPost(String json, String[] fields) {
        assertProblem(post(newUser(), json), 400).body("errors.field", contains(fields));
    }

    @ParameterizedTest
    @MethodSource("unreadableValues")
    void aValueThatDoesNotReadHidesNoOtherErrorOnPut(String json, String[] fields) {
        TestUser owner = newUser();
        long id = createPatient(owner, "Kept");
        String[] onPut = Stream.of(fields).filter(f -> !f.equals("name") || json.contains("\"name\"")).toArray(String[]::new);
        assertProblem(put(owner, id, json), 400).body("errors.field", contains(onPut));
        unchanged(owner, id, "Kept");
    }

    @Test
    void wrongTypesSayWhatIsExpectedWithoutTheValue() {
        assertProblem(post(newUser(), "{\"name\": 1234567, \"age\": \"MARKER-7\"}"), 400)
                .body("errors.find { it.field == 'name' }.message", equalTo("must be a string"))
                .body("errors.find { it.field == 'age' }.message", equalTo("must be a whole number in range"))
                .body(not(containsString("MARKER-7")))
                .body(not(containsString("1234567")));
    }

    @Test
    void diseaseAndItsAliasConditionTogetherAre400OnPostAndPut() {
        TestUser owner = newUser();
        assertProblem(post(owner, "{\"name\": \"A\", \"disease\": \"Flu\", \"condition\": \"Asthma\"}"), 400)
                .body("errors.field", contains("disease"))
                .body("errors[0].message", not(containsString("Flu")));
        long id = createPatient(owner, "Kept");
        assertProblem(put(owner, id, "{\"condition\": \"Asthma\", \"disease\": null}"), 400)
                .body("errors.field", contains("disease"));
        unchanged(owner, id, "Kept");
    }

    @Test
    void anAliasConflictIsReportedWithTheOtherErrors() {
        assertProblem(post(newUser(), "{\"condition\": \"Asthma\", \"disease\": \"Flu\", \"age\": -1}"), 400)
                .body("errors.field", contains("age", "disease", "name"));
    }

    @Test
    void errorsNameTheKeyTheClientSent() {
        TestUser owner = newUser();
        assertProblem(post(owner, "{\"name\": \"A\", \"condition\": 12}"), 400).body("errors.field", contains("condition"));
        assertProblem(post(owner, "{\"name\": \"A\", \"condition\": \"" + "x".repeat(2001) + "\"}"), 400)
                .body("errors.field", contains("condition"));
        long id = createPatient(owner, "Kept");
        assertProblem(put(owner, id, "{\"condition\": false, \"age\": 200}"), 400).body("errors.field", contains("age", "condition"));
        unchanged(owner, id, "Kept");
    }

    @ParameterizedTest
    @ValueSource(strings = { " ", "   ", "\\t\\n", "\\u200B", "\\u200C\\u200D", "\\u2060", "\\uFEFF", "\\u00A0", "\\u3000",
            "\\u2028", "\\u200B \\u00A0\\uFEFF", "\\u180E", "\\u034F", "\\u3164", "" })
    void aNameOfOnlyWhitespaceOrInvisibleCharactersIs400OnPostAndPut(String escaped) {
        TestUser owner = newUser();
        String json = "{\"name\": \"" + escaped + "\", \"age\": 30}";
        assertProblem(post(owner, json), 400).body("errors.field", contains("name"));
        long id = createPatient(owner, "Kept");
        assertProblem(put(owner, id, json), 400).body("errors.field", contains("name"));
        unchanged(owner, id, "Kept");
    }

    @Test
    void aNameWithVisibleCharactersAroundInvisibleOnesIsKept() {
        as(newUser()).body("{\"name\": \"Ann\\u00A0Lee\\u200B\"}").post("/api/patients").then().statusCode(201)
                .body("name", equalTo("Ann\u00A0Lee\u200B"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"name\": \"A\", \"name\": \"B\"}", "[{\"name\": \"A\"}]", "{\"name\": \"A\"", "null", "\"A\"",
            "{\"name\": \"A\"} {\"name\": \"B\"}", "{\"name\": \"A\", \"age\": 1}x" })
    void aBodyThatIsNotOneJsonObjectIsOneProblemWithoutFieldErrors(String json) {
        assertProblem(post(newUser(), json), 400)
                .body("type", equalTo("urn:problem-type:healthcare:malformed-request"))
                .body("errors", nullValue());
    }
}
