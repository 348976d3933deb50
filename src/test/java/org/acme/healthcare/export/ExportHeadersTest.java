package org.acme.healthcare.export;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which name of FHIR JSON the export's OperationOutcomes take, and on which paths (pure logic; ExportRoleMatrixTest has it over HTTP). */
class ExportHeadersTest {
    @Test
    void fhirJsonUnlessApplicationJsonIsRankedAboveEveryFhirName() {
        // FHIR's own name: nothing asked, a wildcard, FHIR JSON named first or equally, plain JSON refused or ranked lower.
        for (String accept : java.util.Arrays.asList(null, "", "*/*", "application/*", "application/fhir+json",
                "application/json+fhir", "application/json, application/fhir+json", "application/fhir+json, application/json",
                "application/json;q=0", "application/json;q=0.0", "application/json;q=0.4, application/fhir+json;q=0.5",
                "application/json;q=oops", "application/json;q=0.5, application/json+fhir")) {
            assertFalse(ExportHeaders.prefersPlainJson(accept), String.valueOf(accept));
        }
        // application/json: alone, beside a wildcard, or above every FHIR name (SMART's test suite sends it alone).
        for (String accept : List.of("application/json", "APPLICATION/JSON", "application/json; charset=utf-8",
                "application/json, */*", "application/fhir+json;q=0.5, application/json", "application/json;q=0.9, application/fhir+json;q=0.8")) {
            assertTrue(ExportHeaders.prefersPlainJson(accept), accept);
        }
    }

    @Test
    void onlyTheExportsRoutes() {
        for (String path : List.of("/fhir/Patient/1", "/fhir/metadata", "/fhir/Patient", "/api/patients", "/fhir/bulkstatusx", "/fhir")) {
            assertFalse(ExportHeaders.isExportPath(path), path);
        }
        for (String path : List.of("/fhir/$export", "/fhir/Patient/$export", "/fhir/Group/7/$export", "/fhir/bulkstatus/12",
                "/fhir/bulkfiles/12/0")) {
            assertTrue(ExportHeaders.isExportPath(path), path);
        }
    }
}
