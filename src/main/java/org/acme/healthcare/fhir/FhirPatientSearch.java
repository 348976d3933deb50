package org.acme.healthcare.fhir;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.patient.Gender;

/**
 * A FHIR Patient search's criteria, parsed and checked ({@code FhirQueries#patients} turns them
 * into SQL conditions under the one access rule). Each parameter is given at most once
 * ({@link FhirSearch}); a comma in a token or reference value means "any of them", as FHIR says.
 */
record FhirPatientSearch(String name, List<Gender> genders, List<Long> ids, List<Token> identifiers,
        List<Long> organizations) {

    static final Set<String> PARAMETERS = Set.of("_id", "identifier", "name", "gender", "organization");

    /** {@code system|value}, {@code |value} (no system) or {@code value} (any system); {@code system} null for any. */
    record Token(String system, String value, boolean noSystem) {
    }

    static FhirPatientSearch of(FhirSearch search) {
        return new FhirPatientSearch(search.get("name"), genders(search.get("gender")), ids(search.get("_id")),
                tokens(search.get("identifier")), organizations(search.get("organization")));
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

    static List<Token> tokens(String value) {
        if (value == null) {
            return null;
        }
        List<Token> tokens = new ArrayList<>();
        for (String t : value.split(",", -1)) {
            int bar = t.indexOf('|');
            String system = bar < 0 ? null : t.substring(0, bar);
            String v = bar < 0 ? t : t.substring(bar + 1);
            if (v.isBlank() || v.length() > 100 || (system != null && system.length() > 2000)) {
                throw ApiException.invalidField("identifier", "must be system|value or value");
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
