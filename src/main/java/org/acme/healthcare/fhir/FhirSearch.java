package org.acme.healthcare.fhir;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Problem;
import org.acme.healthcare.patient.Patient;
import org.acme.healthcare.patient.PatientService;
import org.acme.healthcare.user.CurrentUser;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The query of a FHIR read or search: its search parameters (each at most once; an empty value
 * counts as absent, as FHIR says), {@code _count} (1 to 500, default 50) and {@code _offset}
 * (where the page starts, for the {@code next} link). {@code _format} and {@code _pretty} are
 * accepted everywhere. Anything else is a 400: a parameter the server would silently ignore
 * would make a search return more than the client asked for. Rejected names and values are
 * never echoed.
 */
final class FhirSearch {
    static final int DEFAULT_COUNT = 50;
    static final int MAX_COUNT = 500;
    static final int MAX_OFFSET = 10_000_000;
    private static final Set<String> GENERAL = Set.of("_format", "_pretty");
    private static final Set<String> PAGING = Set.of("_count", "_offset");

    /** Each parameter's values: one, or up to {@link #MAX_REPEATS} of a repeatable one (all must hold). */
    final Map<String, List<String>> values = new LinkedHashMap<>();
    final int count;
    final int offset;
    /** A repeatable parameter (a date range: {@code birthdate=ge1990&birthdate=lt2000}) may come this often. */
    static final int MAX_REPEATS = 2;

    private FhirSearch(Map<String, List<String>> values, int count, int offset) {
        this.values.putAll(values);
        this.count = count;
        this.offset = offset;
    }

    /** A read: only {@code _format} and {@code _pretty}. */
    static void read(UriInfo uri) {
        for (String name : uri.getQueryParameters().keySet()) {
            if (!GENERAL.contains(name)) {
                throw new ApiException(Problem.Type.MALFORMED, "A read takes no parameters other than _format and _pretty.");
            }
        }
    }

    /** A search of {@code type} with these search parameters, each given at most once. */
    static FhirSearch parse(UriInfo uri, String type, Set<String> searchParams) {
        return parse(uri, type, searchParams, Set.of());
    }

    /** A search of {@code type} with these search parameters; the {@code repeatable} ones up to {@link #MAX_REPEATS} times. */
    static FhirSearch parse(UriInfo uri, String type, Set<String> searchParams, Set<String> repeatable) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (var e : query.entrySet()) {
            String name = e.getKey();
            if (GENERAL.contains(name)) {
                continue;
            }
            if (!searchParams.contains(name) && !PAGING.contains(name)) {
                throw new ApiException(Problem.Type.MALFORMED, "Unknown search parameter: " + type + " supports "
                        + String.join(", ", new TreeSet<>(searchParams)) + ", _count.");
            }
            List<String> given = e.getValue().stream().filter(v -> v != null && !v.isEmpty())
                    .map(v -> PAGING.contains(name) ? v : v.strip()).filter(v -> !v.isEmpty()).toList();
            if (given.size() > (repeatable.contains(name) ? MAX_REPEATS : 1)) {
                throw ApiException.invalidField(name, repeatable.contains(name) ? "may be given at most twice" : "may be given once");
            }
            if (!given.isEmpty()) {
                values.put(name, given);
            }
        }
        int count = number(first(values.remove("_count")), "_count", 1, MAX_COUNT, DEFAULT_COUNT);
        int offset = number(first(values.remove("_offset")), "_offset", 0, MAX_OFFSET, 0);
        return new FhirSearch(values, count, offset);
    }

    private static String first(List<String> values) {
        return values == null ? null : values.get(0);
    }

    /** The parameter's value (the first of a repeatable one's), or null. */
    String get(String name) {
        return first(values.get(name));
    }

    /** Every value of the parameter (empty when absent). */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /**
     * The query of a search of one patient's resources (CareTeam, Condition), documented once:
     * {@code patient} (required) and {@code _count}. The values are read by {@link #parse}.
     */
    public static class OfPatientQuery {
        @QueryParam("patient")
        @Parameter(description = "The patient: `{id}` or `Patient/{id}`", required = true,
                schema = @Schema(type = SchemaType.STRING, examples = "Patient/7"))
        public String patient;

        @QueryParam("_count")
        @Parameter(description = "Page size, 1 to 500 (default 50)",
                schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500"))
        public String count;
    }

    /** A search of one patient's resources, and that patient. */
    record OfPatient(FhirSearch search, Patient patient) {
    }

    /**
     * Parses a search of one patient's {@code type} resources and reads the patient as the
     * caller may: the owner or an admin; another user's is 404, as a read is (and audited as one).
     */
    static OfPatient ofPatient(UriInfo uri, String type, PatientService patients, CurrentUser caller) {
        return ofPatient(uri, type, Set.of("patient"), patients, caller);
    }

    /** As {@link #ofPatient(UriInfo, String, PatientService, CurrentUser)}, with more parameters than {@code patient}. */
    static OfPatient ofPatient(UriInfo uri, String type, Set<String> params, PatientService patients, CurrentUser caller) {
        FhirSearch search = parse(uri, type, params);
        long patientId = patientReference(search.get("patient"));
        return new OfPatient(search, patients.read(patientId, caller.id(), caller.isAdmin()));
    }

    private static int number(String value, String name, int min, int max, int absent) {
        if (value == null) {
            return absent;
        }
        if (!value.matches("[0-9]{1,9}")) {
            throw ApiException.invalidField(name, "must be a whole number from " + min + " to " + max);
        }
        int n = Integer.parseInt(value);
        if (n < min || n > max) {
            throw ApiException.invalidField(name, "must be a whole number from " + min + " to " + max);
        }
        return n;
    }

    /** A positive 64-bit id (as the REST API's ids), else a 400 like {@code /api/patients/abc}. */
    static long id(String value) {
        if (value == null || !value.matches("[1-9][0-9]{0,18}")) {
            throw new ApiException(Problem.Type.MALFORMED, "The id must be a positive whole number.");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ApiException(Problem.Type.MALFORMED, "The id must be a positive whole number.");
        }
    }

    /** {@code patient=123} or {@code patient=Patient/123}. */
    static long patientReference(String value) {
        if (value == null) {
            throw ApiException.invalidField("patient", "is required");
        }
        String id = value.startsWith("Patient/") ? value.substring("Patient/".length()) : value;
        if (!id.matches("[1-9][0-9]{0,18}")) {
            throw ApiException.invalidField("patient", "must be a patient id or Patient/{id}");
        }
        return id(id);
    }
}
