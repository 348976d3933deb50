package org.acme.healthcare.fhir;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.patient.Gender;

/**
 * A FHIR Patient search's criteria, parsed and checked ({@code FhirQueries#patients} turns them
 * into SQL conditions under the one access rule). Each parameter is given at most once
 * ({@link FhirSearch}); a comma in a token or reference value means "any of them", as FHIR says.
 */
record FhirPatientSearch(String name, String family, String given, List<Gender> genders, List<Long> ids,
        List<Token> identifiers, List<Long> organizations, List<DateRange> birthdates) {

    static final Set<String> PARAMETERS = Set.of("_id", "identifier", "name", "family", "given", "birthdate", "gender",
            "organization");
    /** {@code birthdate=ge1990&birthdate=lt2000}: both hold. */
    static final Set<String> REPEATABLE = Set.of("birthdate");

    /**
     * A date search value as the birth dates it admits: {@code from} (inclusive) to {@code to}
     * (exclusive), either open. {@code eq} (or no prefix), {@code ge}, {@code le}, {@code gt},
     * {@code lt} on {@code YYYY}, {@code YYYY-MM} or {@code YYYY-MM-DD}: the value is the range of
     * its precision (FHIR's date search), so {@code birthdate=1990} is every day of 1990 and
     * {@code gt1990} starts in 1991.
     */
    record DateRange(LocalDate from, LocalDate to) {
        private static final Pattern VALUE = Pattern.compile("(eq|ge|le|gt|lt)?([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?");

        static DateRange parse(String value) {
            Matcher m = VALUE.matcher(value);
            if (!m.matches()) {
                throw ApiException.invalidField("birthdate", "must be [eq|ge|le|gt|lt]YYYY[-MM[-DD]]");
            }
            LocalDate start;
            LocalDate end;
            try {
                int year = Integer.parseInt(m.group(2));
                if (m.group(4) != null) {
                    start = LocalDate.of(year, Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
                    end = start.plusDays(1);
                } else if (m.group(3) != null) {
                    start = LocalDate.of(year, Integer.parseInt(m.group(3)), 1);
                    end = start.plusMonths(1);
                } else {
                    start = LocalDate.of(year, 1, 1);
                    end = start.plusYears(1);
                }
            } catch (DateTimeException e) {
                throw ApiException.invalidField("birthdate", "must be a real date");
            }
            String prefix = m.group(1) == null ? "eq" : m.group(1);
            return switch (prefix) {
            case "ge" -> new DateRange(start, null);
            case "gt" -> new DateRange(end, null);
            case "le" -> new DateRange(null, end);
            case "lt" -> new DateRange(null, start);
            default -> new DateRange(start, end);
            };
        }
    }

    /** {@code system|value}, {@code |value} (no system) or {@code value} (any system); {@code system} null for any. */
    record Token(String system, String value, boolean noSystem) {
    }

    static FhirPatientSearch of(FhirSearch search) {
        return new FhirPatientSearch(search.get("name"), search.get("family"), search.get("given"),
                genders(search.get("gender")), ids(search.get("_id")), tokens("identifier", search.get("identifier")),
                organizations(search.get("organization")), search.all("birthdate").stream().map(DateRange::parse).toList());
    }

    /** {@code _id}: patient ids, comma-separated for any of them. */
    static List<Long> ids(String value) {
        if (value == null) {
            return null;
        }
        List<Long> ids = new ArrayList<>();
        for (String id : value.split(",", -1)) {
            if (!id.strip().matches("[1-9][0-9]{0,18}")) {
                throw ApiException.invalidField("_id", "must be patient ids");
            }
            ids.add(FhirSearch.id(id.strip()));
        }
        return ids;
    }

    /** {@code organization}: {@code Organization/{id}} or {@code {id}}, comma-separated for any of them. */
    static List<Long> organizations(String value) {
        if (value == null) {
            return null;
        }
        List<Long> ids = new ArrayList<>();
        for (String ref : value.split(",", -1)) {
            String id = ref.strip();
            id = id.startsWith("Organization/") ? id.substring("Organization/".length()) : id;
            if (!id.matches("[1-9][0-9]{0,18}")) {
                throw ApiException.invalidField("organization", "must be an organization id or Organization/{id}");
            }
            ids.add(FhirSearch.id(id));
        }
        return ids;
    }

    /** A token parameter's values: {@code system|value}, {@code |value} or {@code value}, comma-separated for any. */
    static List<Token> tokens(String param, String value) {
        if (value == null) {
            return null;
        }
        List<Token> tokens = new ArrayList<>();
        for (String t : value.split(",", -1)) {
            int bar = t.indexOf('|');
            String system = bar < 0 ? null : t.substring(0, bar);
            String v = bar < 0 ? t : t.substring(bar + 1);
            if (v.isBlank() || v.length() > 100 || (system != null && system.length() > 2000)) {
                throw ApiException.invalidField(param, "must be system|value or value");
            }
            tokens.add(new Token(system == null || system.isEmpty() ? null : system, v, system != null && system.isEmpty()));
        }
        return tokens;
    }

    /** {@code female}, {@code male,female}, or with the system: {@code http://hl7.org/fhir/administrative-gender|female}. */
    static List<Gender> genders(String value) {
        if (value == null) {
            return null;
        }
        List<Gender> genders = new ArrayList<>();
        for (String token : value.split(",")) {
            String code = token.strip();
            int bar = code.indexOf('|');
            if (bar >= 0) {
                String system = code.substring(0, bar);
                if (!system.isEmpty() && !system.equals("http://hl7.org/fhir/administrative-gender")) {
                    throw ApiException.invalidField("gender", "must be male, female, other or unknown");
                }
                code = code.substring(bar + 1);
            }
            String lower = code.toLowerCase(Locale.ROOT);
            if (!Set.of("male", "female", "other", "unknown").contains(lower)) {
                throw ApiException.invalidField("gender", "must be male, female, other or unknown");
            }
            genders.add(Gender.parse(lower));
        }
        return genders;
    }
}
