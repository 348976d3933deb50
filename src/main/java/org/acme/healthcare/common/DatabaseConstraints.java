package org.acme.healthcare.common;

import java.util.Map;

/**
 * The database constraints are the backstop behind validation. When one fires (a race two
 * requests ran at once, say), its name says which client error it is; never a 500.
 */
public final class DatabaseConstraints {
    private static final Map<String, ApiException> BY_NAME = Map.of(
            "users_email_lower_uk", ApiException.conflict("An account with this email already exists."),
            // A look-alike email (the same confusable skeleton) is taken just as the email itself.
            "users_email_skeleton_uk", ApiException.conflict("An account with this email already exists."),
            "mappings_patient_doctor_uk", ApiException.conflict("This doctor is already assigned to this patient."),
            "mappings_patient_fk", ApiException.notFound("Patient"),
            "mappings_doctor_fk", ApiException.notFound("Doctor"),
            "patients_owner_fk", ApiException.unauthorized("The account behind this token no longer exists."),
            "doctors_created_by_fk", ApiException.unauthorized("The account behind this token no longer exists."));

    private DatabaseConstraints() {
    }

    public static ApiException toApiException(String constraintName, String sqlState) {
        if (constraintName != null) {
            ApiException known = BY_NAME.get(constraintName);
            if (known != null) {
                return known;
            }
        }
        if ("23505".equals(sqlState)) {
            return ApiException.conflict("The request conflicts with an existing record.");
        }
        if ("23503".equals(sqlState)) {
            return ApiException.conflict("The request refers to a record that does not exist.");
        }
        return new ApiException(ProblemType.MALFORMED, "The request breaks a data rule.");
    }
}
