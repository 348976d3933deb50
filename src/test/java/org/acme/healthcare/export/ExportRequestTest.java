package org.acme.healthcare.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.acme.healthcare.common.ApiException;
import org.junit.jupiter.api.Test;

/** The kick-off's rules on its headers and parameters, as Bulk Data 2.0 says them (pure logic; ExportTest has them over HTTP). */
class ExportRequestTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private static ExportRequest parse(String level, boolean lenient, String... kv) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            params.computeIfAbsent(kv[i], k -> new java.util.ArrayList<>()).add(kv[i + 1]);
        }
        return ExportRequest.parse(level, params, lenient, NOW);
    }

    private static void refused(String level, boolean lenient, String... kv) {
        assertThrows(ApiException.class, () -> parse(level, lenient, kv));
    }

    @Test
    void preferMustSayRespondAsyncAndMaySayLenient() {
        assertThrows(ApiException.class, () -> ExportRequest.lenient(null));
        assertThrows(ApiException.class, () -> ExportRequest.lenient("handling=lenient"));
        assertThrows(ApiException.class, () -> ExportRequest.lenient("respond-sync"));
        assertFalse(ExportRequest.lenient("respond-async"));
        assertTrue(ExportRequest.lenient("respond-async, handling=lenient"));
        assertTrue(ExportRequest.lenient("Respond-Async; handling = lenient"));
    }

    @Test
    void acceptMustNameFhirJson() {
        assertThrows(ApiException.class, () -> ExportRequest.accept(null));
        assertThrows(ApiException.class, () -> ExportRequest.accept(""));
        assertThrows(ApiException.class, () -> ExportRequest.accept("*/*"));
        assertThrows(ApiException.class, () -> ExportRequest.accept("application/json"));
        ExportRequest.accept("application/fhir+json");
        ExportRequest.accept("application/fhir+json; charset=utf-8");
    }

    @Test
    void outputFormatsAreTheThreeNdjsonSpellings() {
        for (String format : List.of("application/fhir+ndjson", "application/ndjson", "ndjson")) {
            parse(ExportRequest.PATIENT, false, "_outputFormat", format);
        }
        for (String format : List.of("application/xml", "text/html", "x-custom", "application/fhir+json", "NDJSON")) {
            refused(ExportRequest.PATIENT, false, "_outputFormat", format);
            refused(ExportRequest.PATIENT, true, "_outputFormat", format);
        }
        refused(ExportRequest.PATIENT, false, "_outputFormat", "ndjson", "_outputFormat", "ndjson");
    }

    @Test
    void sinceIsAnInstantNotInTheFuture() {
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), parse(ExportRequest.SYSTEM, false, "_since", "2026-01-01T05:00:00+05:00").since());
        for (String since : List.of("0000-60-01T30:70:80+05:00", "2026-01-01", "2026-01-01T00:00:00", "yesterday", "2026-12-06T12:00:01Z")) {
            refused(ExportRequest.SYSTEM, false, "_since", since);
            refused(ExportRequest.SYSTEM, true, "_since", since);
        }
    }

    @Test
    void typesAreThoseOfTheLevelInExportOrder() {
        assertEquals(List.of("Patient", "Condition"), parse(ExportRequest.PATIENT, false).types());
        assertEquals(List.of("Patient", "Condition", "Practitioner"), parse(ExportRequest.SYSTEM, false).types());
        assertEquals(List.of("Patient", "Condition"), parse(ExportRequest.GROUP, false, "_type", "Condition", "_type", "Patient").types());
        assertEquals(List.of("Condition", "Practitioner"), parse(ExportRequest.SYSTEM, false, "_type", "Practitioner,Condition").types());
        refused(ExportRequest.PATIENT, false, "_type", "MissingType");
        refused(ExportRequest.PATIENT, false, "_type", "Practitioner");
        refused(ExportRequest.SYSTEM, false, "_type", "Patient,Observation");
        ExportRequest lenient = parse(ExportRequest.PATIENT, true, "_type", "Patient,Observation");
        assertEquals(List.of("Patient"), lenient.types());
        assertEquals(1, lenient.ignored().size());
        assertFalse(lenient.ignored().get(0).contains("Observation"), "a value is never echoed");
    }

    @Test
    void unsupportedParametersAre400UnlessLenient() {
        for (String name : List.of("_typeFilter", "includeAssociatedData", "_elementsx", "page")) {
            refused(ExportRequest.PATIENT, false, name, "x");
            ExportRequest lenient = parse(ExportRequest.PATIENT, true, name, "x");
            assertEquals(1, lenient.ignored().size());
        }
        assertTrue(parse(ExportRequest.PATIENT, true, "_typeFilter", "Patient?gender=male").ignored().get(0).contains("_typeFilter"));
        // _format and _pretty, and empty values, are no parameters of the export.
        assertEquals(List.of(), parse(ExportRequest.PATIENT, false, "_format", "json", "_pretty", "true", "_typeFilter", "").ignored());
    }

    @Test
    void patientIsForPatientAndGroupLevelsOnly() {
        assertEquals(List.of(7L, 8L), parse(ExportRequest.PATIENT, false, "patient", "Patient/7", "patient", "8,Patient/7").patients());
        assertNull(parse(ExportRequest.GROUP, false).patients());
        refused(ExportRequest.SYSTEM, false, "patient", "Patient/7");
        refused(ExportRequest.PATIENT, false, "patient", "Observation/7");
        refused(ExportRequest.PATIENT, false, "patient", "Patient/abc");
        refused(ExportRequest.PATIENT, false, "patient", "Patient/0");
    }

    @Test
    void elementsAreTopLevelNames() {
        assertEquals(List.of("id", "Patient.meta", "name"), parse(ExportRequest.PATIENT, false, "_elements", "id,Patient.meta",
                "_elements", "name").elements());
        refused(ExportRequest.PATIENT, false, "_elements", "name.family");
        refused(ExportRequest.PATIENT, false, "_elements", "Patient.");
        refused(ExportRequest.PATIENT, false, "_elements", "id,,name");
    }

    @Test
    void elementsKeepWhatEveryResourceNeedsAndTagTheSubset() {
        String patient = "{\"resourceType\":\"Patient\",\"id\":\"7\",\"meta\":{\"versionId\":\"0\"},\"name\":[{\"text\":\"A\"}],"
                + "\"gender\":\"female\",\"birthDate\":\"1980-01-01\"}";
        String subset = ExportElements.of(List.of("gender", "Condition.code")).apply(patient);
        assertEquals("{\"resourceType\":\"Patient\",\"id\":\"7\",\"meta\":{\"versionId\":\"0\",\"tag\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ObservationValue\",\"code\":\"SUBSETTED\"}]},\"gender\":\"female\"}", subset);
        String condition = "{\"resourceType\":\"Condition\",\"id\":\"d7\",\"code\":{\"text\":\"Flu\"},\"subject\":{\"reference\":\"Patient/7\"}}";
        String kept = ExportElements.of(List.of("id")).apply(condition);
        assertTrue(kept.contains("\"subject\"") && !kept.contains("\"code\":{"), kept);
        assertEquals(patient, ExportElements.ALL.apply(patient));
    }
}
