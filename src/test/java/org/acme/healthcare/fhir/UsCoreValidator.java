package org.acme.healthcare.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import io.restassured.path.json.JsonPath;

/**
 * HAPI's validator, offline, against the base R4 specification (hapi-fhir-validation-resources-r4)
 * and every FHIR package in {@code src/test/resources/fhir-packages/} (US Core 6.1.0 and HL7
 * Terminology): a resource is validated against the base spec and against each profile its
 * {@code meta.profile} names (a Bundle's entries against theirs). No terminology server and no
 * fetching: code systems it cannot check here (SNOMED CT, ICD-10-CM, LOINC, ...) and value sets it
 * cannot expand (VSAC's) give warnings, never errors. Built once: loading the packages takes seconds.
 */
public final class UsCoreValidator {
    static final String FOLDER = "fhir-packages";
    static final String US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/";
    private static FhirValidator validator;

    private UsCoreValidator() {
    }

    static synchronized FhirValidator validator() {
        if (validator == null) {
            FhirContext ctx = FhirContext.forR4Cached();
            NpmPackageValidationSupport packages = new NpmPackageValidationSupport(ctx);
            List<String> files = packageFiles();
            assertFalse(files.isEmpty(), "no FHIR package in src/test/resources/" + FOLDER);
            for (String file : files) {
                try {
                    packages.loadPackageFromClasspath("classpath:" + FOLDER + "/" + file);
                } catch (IOException e) {
                    throw new UncheckedIOException(file, e);
                }
            }
            UnknownCodeSystemWarningValidationSupport unknown = new UnknownCodeSystemWarningValidationSupport(ctx);
            unknown.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
            ValidationSupportChain chain = new ValidationSupportChain(packages, new DefaultProfileValidationSupport(ctx),
                    new CommonCodeSystemsTerminologyService(ctx), new InMemoryTerminologyServerValidationSupport(ctx),
                    new SnapshotGeneratingValidationSupport(ctx), unknown);
            FhirInstanceValidator module = new FhirInstanceValidator(chain);
            module.setNoTerminologyChecks(false);
            validator = ctx.newValidator().registerValidatorModule(module);
        }
        return validator;
    }

    /** The {@code *.tgz} files of the packages folder, by name. */
    static List<String> packageFiles() {
        URL folder = UsCoreValidator.class.getClassLoader().getResource(FOLDER);
        if (folder == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tgz")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The errors and fatals (location: message) of validating this JSON resource. */
    static List<String> errors(String json) {
        ValidationResult result = validator().validateWithResult(json);
        return result.getMessages().stream().filter(UsCoreValidator::isError)
                .map(m -> m.getLocationString() + ": " + m.getMessage()).toList();
    }

    /** The warnings (location: message), to show what stays unchecked offline. */
    static List<String> warnings(String json) {
        return validator().validateWithResult(json).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.WARNING)
                .map(m -> m.getLocationString() + ": " + m.getMessage()).toList();
    }

    private static boolean isError(SingleValidationMessage m) {
        return m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL;
    }

    /**
     * Zero errors (and fatals) for this JSON resource against the base spec and the profiles its
     * {@code meta.profile} names; a Bundle's entries each against theirs. Warnings are allowed.
     */
    public static void assertValid(String json) {
        assertEquals(List.of(), errors(json), "HAPI's validator (R4 + US Core 6.1.0) found errors in " + json);
    }

    /**
     * As {@link #assertValid}, and the resource (a Bundle: each entry's resource) claims a US
     * Core profile: a resource that names none would be checked against the base spec only.
     */
    public static void assertUsCore(String json) {
        assertValid(json);
        JsonPath doc = JsonPath.from(json);
        if ("Bundle".equals(doc.getString("resourceType"))) {
            List<Object> entries = doc.getList("entry");
            for (int i = 0; entries != null && i < entries.size(); i++) {
                assertClaimsUsCore(doc.getList("entry[" + i + "].resource.meta.profile"), json);
            }
        } else {
            assertClaimsUsCore(doc.getList("meta.profile"), json);
        }
    }

    private static void assertClaimsUsCore(List<String> profiles, String json) {
        assertTrue(profiles != null && profiles.stream().anyMatch(p -> p.startsWith(US_CORE)),
                "no US Core profile in meta.profile: " + json);
    }
}
