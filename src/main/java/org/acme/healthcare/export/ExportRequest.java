package org.acme.healthcare.export;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Problem;

/**
 * A kick-off's parameters, checked as Bulk Data 2.0 says
 * (https://hl7.org/fhir/uv/bulkdata/export.html#query-parameters): {@code _outputFormat}
 * (NDJSON in any of its three spellings), {@code _since} (an instant, not in the future),
 * {@code _type}, {@code _elements} and {@code patient} (not at system level) are supported;
 * {@code _typeFilter}, {@code includeAssociatedData} and any other parameter are not, so they are
 * a 400 OperationOutcome, unless {@code Prefer: handling=lenient} asks for them to be ignored (each
 * ignored one is then said in the manifest's {@code error} array). Rejected values are never echoed.
 */
record ExportRequest(String level, List<String> types, Instant since, List<Long> patients, List<String> elements,
        List<String> ignored) {
    static final String SYSTEM = "system";
    static final String PATIENT = "patient";
    static final String GROUP = "group";

    /** What each level exports, in the order the files come: a patient's compartment, and the directory at system level. */
    static final List<String> PATIENT_TYPES = List.of("Patient", "Condition");
    static final List<String> SYSTEM_TYPES = List.of("Patient", "Condition", "Practitioner");
    static final Set<String> OUTPUT_FORMATS = Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");
    /** A parameter that may come once only. */
    private static final Set<String> SINGLE = Set.of("_outputFormat", "_since");
    /** Parameters of the spec this server does not support: a 400, or ignored under handling=lenient. */
    private static final Set<String> UNSUPPORTED = Set.of("_typeFilter", "includeAssociatedData");
    /** Parameters any FHIR request may carry. */
    private static final Set<String> GENERAL = Set.of("_format", "_pretty");
    static final int MAX_PATIENTS = 1000;

    /** The same request exporting these types (a system token's: those its scopes read). */
    ExportRequest withTypes(List<String> only) {
        return new ExportRequest(level, List.copyOf(only), since, patients, elements, ignored);
    }

    static List<String> typesOf(String level) {
        return SYSTEM.equals(level) ? SYSTEM_TYPES : PATIENT_TYPES;
    }

    /** The {@code Prefer} header: {@code respond-async} is required; {@code handling=lenient} asks for leniency. */
    static boolean lenient(String prefer) {
        Set<String> tokens = new LinkedHashSet<>();
        if (prefer != null) {
            for (String token : prefer.split("[,;]")) {
                tokens.add(token.strip().toLowerCase(Locale.ROOT).replace(" ", ""));
            }
        }
        if (!tokens.contains("respond-async")) {
            throw new ApiException(Problem.Type.MALFORMED, "A bulk export needs the header Prefer: respond-async.");
        }
        return tokens.contains("handling=lenient");
    }

    /** The {@code Accept} header as the client sent it: the kick-off's OperationOutcome is FHIR JSON, so it must say so. */
    static void accept(String accept) {
        if (accept == null || !accept.toLowerCase(Locale.ROOT).contains("application/fhir+json")) {
            throw new ApiException(Problem.Type.MALFORMED, "A bulk export needs the header Accept: application/fhir+json.");
        }
    }

    static ExportRequest parse(String level, Map<String, List<String>> params, boolean lenient, Instant now) {
        List<String> ignored = new ArrayList<>();
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            String name = e.getKey();
            List<String> given = e.getValue().stream().filter(v -> v != null && !v.isBlank()).map(String::strip).toList();
            if (GENERAL.contains(name) || given.isEmpty()) {
                continue;
            }
            if (UNSUPPORTED.contains(name)) {
                refuse(lenient, ignored, name + " is not supported by this server.");
                continue;
            }
            if (!Set.of("_outputFormat", "_since", "_type", "_elements", "patient").contains(name)) {
                refuse(lenient, ignored, "A parameter this server does not know was given; bulk export takes _outputFormat,"
                        + " _since, _type, _elements and patient.");
                continue;
            }
            if (SINGLE.contains(name) && given.size() > 1) {
                throw ApiException.invalidField(name, "may be given once");
            }
            values.put(name, given);
        }

        String format = first(values.get("_outputFormat"));
        if (format != null && !OUTPUT_FORMATS.contains(format)) {
            throw ApiException.invalidField("_outputFormat", "must be application/fhir+ndjson, application/ndjson or ndjson");
        }
        Instant since = since(first(values.get("_since")), now);

        List<String> levelTypes = typesOf(level);
        List<String> types = levelTypes;
        if (values.containsKey("_type")) {
            Set<String> asked = new LinkedHashSet<>();
            for (String value : values.get("_type")) {
                for (String t : value.split(",")) {
                    if (t.isBlank()) {
                        continue;
                    }
                    if (levelTypes.contains(t.strip())) {
                        asked.add(t.strip());
                    } else {
                        refuse(lenient, ignored, "_type: this export holds " + String.join(", ", levelTypes)
                                + "; other resource types were asked for.");
                    }
                }
            }
            // In the export's order, whatever order they were asked in.
            types = levelTypes.stream().filter(asked::contains).toList();
        }

        List<String> elements = null;
        if (values.containsKey("_elements")) {
            elements = new ArrayList<>();
            for (String value : values.get("_elements")) {
                for (String element : value.split(",")) {
                    String el = element.strip();
                    if (!el.matches("([A-Z][A-Za-z]{1,39}\\.)?[a-z][A-Za-z]{0,63}")) {
                        throw ApiException.invalidField("_elements", "must be comma-separated element names: name or Type.name");
                    }
                    elements.add(el);
                }
            }
        }

        List<Long> patients = null;
        if (values.containsKey("patient")) {
            if (SYSTEM.equals(level)) {
                throw ApiException.invalidField("patient", "is not applicable to a system-level export");
            }
            Set<Long> ids = new LinkedHashSet<>();
            for (String value : values.get("patient")) {
                for (String ref : value.split(",")) {
                    ids.add(patientId(ref.strip()));
                }
            }
            if (ids.size() > MAX_PATIENTS) {
                throw ApiException.invalidField("patient", "may name at most " + MAX_PATIENTS + " patients");
            }
            patients = List.copyOf(ids);
        }
        return new ExportRequest(level, types, since, patients, elements, List.copyOf(new LinkedHashSet<>(ignored)));
    }

    private static void refuse(boolean lenient, List<String> ignored, String message) {
        if (!lenient) {
            throw new ApiException(Problem.Type.MALFORMED, message + " (With Prefer: handling=lenient it is ignored.)");
        }
        ignored.add("Ignored under handling=lenient: " + message);
    }

    /** A FHIR instant (date, time and offset); a date in the future can select nothing and is refused. */
    static Instant since(String value, Instant now) {
        if (value == null) {
            return null;
        }
        Instant since;
        try {
            since = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalidField("_since", "must be a FHIR instant such as 2024-01-31T12:00:00Z");
        }
        if (since.isAfter(now)) {
            throw ApiException.invalidField("_since", "must not be in the future");
        }
        return since;
    }

    /** {@code Patient/123} (a reference) or {@code 123}. */
    static long patientId(String reference) {
        String id = reference.startsWith("Patient/") ? reference.substring("Patient/".length()) : reference;
        if (!id.matches("[1-9][0-9]{0,17}")) {
            throw ApiException.invalidField("patient", "must be Patient/{id} references");
        }
        return Long.parseLong(id);
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
