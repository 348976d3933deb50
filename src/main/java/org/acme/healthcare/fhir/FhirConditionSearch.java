package org.acme.healthcare.fhir;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.acme.healthcare.common.ApiException;

/**
 * A FHIR Condition search's criteria besides the (required) patient: {@code category},
 * {@code clinical-status} and {@code code}, each a token list (any of them); together, all must hold.
 * A category or status given with a system must name the system its code is in.
 */
record FhirConditionSearch(List<String> categories, List<String> clinicalStatuses, List<FhirPatientSearch.Token> codes) {
    static final Set<String> PARAMETERS = Set.of("patient", "category", "clinical-status", "code");
    private static final Set<String> CATEGORIES = Set.of("problem-list-item", "encounter-diagnosis", "health-concern");
    private static final Set<String> CLINICAL = Set.of("active", "recurrence", "relapse", "inactive", "remission", "resolved");

    static FhirConditionSearch of(FhirSearch search) {
        return new FhirConditionSearch(categories(search.get("category")), clinical(search.get("clinical-status")),
                FhirPatientSearch.tokens("code", search.get("code")));
    }

    private static List<String> categories(String value) {
        if (value == null) {
            return null;
        }
        List<String> codes = new ArrayList<>();
        for (FhirPatientSearch.Token t : FhirPatientSearch.tokens("category", value)) {
            String system = "health-concern".equals(t.value()) ? FhirMapper.US_CORE_CONDITION_CATEGORY : FhirMapper.CONDITION_CATEGORY;
            if (!CATEGORIES.contains(t.value()) || t.noSystem() || (t.system() != null && !t.system().equals(system))) {
                throw ApiException.invalidField("category", "must be problem-list-item, encounter-diagnosis or health-concern");
            }
            codes.add(t.value());
        }
        return codes;
    }

    private static List<String> clinical(String value) {
        if (value == null) {
            return null;
        }
        List<String> codes = new ArrayList<>();
        for (FhirPatientSearch.Token t : FhirPatientSearch.tokens("clinical-status", value)) {
            if (!CLINICAL.contains(t.value()) || t.noSystem()
                    || (t.system() != null && !t.system().equals(FhirMapper.CONDITION_CLINICAL))) {
                throw ApiException.invalidField("clinical-status",
                        "must be active, recurrence, relapse, inactive, remission or resolved");
            }
            codes.add(t.value());
        }
        return codes;
    }

    /** Whether the patient's free-text disease (a problem-list item with neither status nor code) is found. */
    boolean findsDisease() {
        return (categories == null || categories.contains("problem-list-item")) && clinicalStatuses == null && codes == null;
    }
}
