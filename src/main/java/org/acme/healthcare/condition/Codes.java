package org.acme.healthcare.condition;

import java.util.regex.Pattern;

/**
 * The code systems a condition may be coded in, and the shape each code must have: ICD-10-CM
 * (a letter, a digit, a digit or letter, then optionally a dot and 1–4 digits or letters: {@code E11.9})
 * and SNOMED CT (a concept id: 6–18 digits, the last a Verhoeff check digit over the others). Whether
 * the code exists is not checked here (no terminology server; docs/fhir.md).
 */
public final class Codes {
    public static final String ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";
    public static final String SNOMED = "http://snomed.info/sct";
    private static final Pattern ICD10CM_SHAPE = Pattern.compile("[A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?");
    private static final Pattern SNOMED_SHAPE = Pattern.compile("[1-9][0-9]{5,17}");

    // Verhoeff's tables: the dihedral group D5's multiplication, the position permutation, the inverse.
    private static final int[][] D = {
            { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 }, { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
            { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 }, { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 }, { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
            { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 }, { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 }, { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
            { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 } };
    private static final int[][] P = {
            { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 }, { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
            { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 }, { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 }, { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
            { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 }, { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 } };

    private Codes() {
    }

    /** Null when the code fits its system; else what is wrong with it (for the 400's message). */
    public static String problem(String system, String code) {
        if (ICD10CM.equals(system)) {
            return ICD10CM_SHAPE.matcher(code).matches() ? null
                    : "is not an ICD-10-CM code (a letter, a digit, a digit or letter, then optionally a dot and 1 to 4 more: E11.9)";
        }
        if (SNOMED.equals(system)) {
            if (!SNOMED_SHAPE.matcher(code).matches()) {
                return "is not a SNOMED CT concept id (6 to 18 digits)";
            }
            return verhoeffValid(code) ? null : "is not a SNOMED CT concept id (its check digit is wrong)";
        }
        return null; // the system itself is refused by the system's own check
    }

    /** Whether the last digit is the Verhoeff check digit of the ones before it. */
    static boolean verhoeffValid(String digits) {
        int c = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = digits.charAt(digits.length() - 1 - i) - '0';
            c = D[c][P[i % 8][digit]];
        }
        return c == 0;
    }
}
