package org.acme.healthcare.fhir;

import static org.acme.healthcare.fhir.UsCoreValidator.errors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The offline US Core validator itself: the packages it loads are the ones the folder's README
 * names (by sha256), US Core's own examples pass it, and it catches what breaks a profile.
 * A {@code @QuarkusTest} only so that it shares the other FHIR tests' class loader (and their one
 * validator): HAPI's XML classes loaded by two class loaders clash.
 */
@QuarkusTest
class FhirUsCoreValidatorTest {
    private static final String PATIENT = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient";

    @Test
    void packagesAreTheOnesTheReadmeNamesByHash() throws IOException, NoSuchAlgorithmException {
        assertEquals(List.of("hl7.fhir.us.core-6.1.0.tgz", "hl7.terminology.r4-7.0.1.tgz"), UsCoreValidator.packageFiles());
        String readme = resource("README.md");
        for (String file : UsCoreValidator.packageFiles()) {
            byte[] bytes;
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(UsCoreValidator.FOLDER + "/" + file)) {
                bytes = in.readAllBytes();
            }
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertTrue(readme.contains(sha + "  " + file), file + " is not the package the README names: " + sha);
        }
    }

    @Test
    void usCoresOwnExamplesOfTheProfilesWeClaimHaveNoErrors() throws IOException {
        NpmPackage usCore;
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream(UsCoreValidator.FOLDER + "/hl7.fhir.us.core-6.1.0.tgz")) {
            usCore = NpmPackage.fromPackage(in);
        }
        for (String example : List.of("Patient-example.json", "Patient-child-example.json", "Practitioner-practitioner-1.json",
                "Organization-example-organization-2.json", "CareTeam-example.json",
                "Condition-condition-duodenal-ulcer.json", "Condition-health-concern-example.json")) {
            String json;
            try (InputStream in = usCore.load("example", example)) {
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            List<String> errors = errors(json);
            if (example.startsWith("Patient-")) {
                // Its race, ethnicity and birth sex extensions bind CDC Race & Ethnicity codes and
                // a birth-sex value set that cannot be expanded offline (us.cdc.phinvads is not
                // here): errors there, and nowhere else. This service sends none of them.
                assertTrue(!errors.isEmpty() && errors.stream().allMatch(e -> e.startsWith("Patient.extension[")), errors.toString());
            } else {
                assertEquals(List.of(), errors, example);
            }
        }
    }

    @Test
    void aPatientThatBreaksUsCoreIsCaught() {
        // Valid R4 (every element optional), but US Core wants identifier, name and gender.
        String broken = """
                {"resourceType":"Patient","id":"1","meta":{"profile":["%s"]},"name":[{"text":"Jane Doe"}]}"""
                .formatted(PATIENT);
        List<String> found = errors(broken);
        assertTrue(found.stream().anyMatch(e -> e.contains("identifier")), "identifier 1..*: " + found);
        assertTrue(found.stream().anyMatch(e -> e.contains("gender")), "gender 1..1: " + found);
        // The same resource claiming no profile is valid R4: the profile is what made it fail.
        assertEquals(List.of(), errors(broken.replace("\"meta\":{\"profile\":[\"" + PATIENT + "\"]},", "")));
        // A profile the validator does not know is an error, never a silent pass.
        String unknown = broken.replace(PATIENT, "http://example.org/StructureDefinition/no-such-profile");
        assertTrue(!errors(unknown).isEmpty(), "an unknown profile must not pass");
        // A coded element outside its required value set: administrative-gender.
        String badGender = """
                {"resourceType":"Patient","id":"1","meta":{"profile":["%s"]},"identifier":[{"system":"urn:x","value":"1"}],
                "name":[{"family":"Doe"}],"gender":"woman"}""".formatted(PATIENT);
        assertTrue(errors(badGender).stream().anyMatch(e -> e.contains("gender")), errors(badGender).toString());
    }

    private String resource(String name) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(UsCoreValidator.FOLDER + "/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
