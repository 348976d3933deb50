package org.acme.healthcare.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Each feature names its own constraints; together they give every named one its own answer. */
@QuarkusTest
class DatabaseConstraintNamesTest {
    @Test
    void everyFeaturesConstraintNamesAreKnown() {
        assertAnswer("users_email_lower_uk", "23505", Problem.Type.CONFLICT, "An account with this email already exists.");
        assertAnswer("users_email_skeleton_uk", "23505", Problem.Type.CONFLICT, "An account with this email already exists.");
        assertAnswer("mappings_patient_doctor_uk", "23505", Problem.Type.CONFLICT, "This doctor is already assigned to this patient.");
        assertAnswer("mappings_patient_fk", "23503", Problem.Type.NOT_FOUND, ApiException.notFound("Patient").getMessage());
        assertAnswer("mappings_doctor_fk", "23503", Problem.Type.NOT_FOUND, ApiException.notFound("Doctor").getMessage());
        assertAnswer("patients_owner_fk", "23503", Problem.Type.UNAUTHORIZED, "The account behind this token no longer exists.");
        assertAnswer("doctors_created_by_fk", "23503", Problem.Type.UNAUTHORIZED, "The account behind this token no longer exists.");
        assertAnswer("memberships_pk", "23505", Problem.Type.CONFLICT, "You are already a member of this organization.");
        assertAnswer("memberships_organization_fk", "23503", Problem.Type.NOT_FOUND, ApiException.notFound("Invitation").getMessage());
        assertAnswer("invitations_organization_fk", "23503", Problem.Type.NOT_FOUND, ApiException.notFound("Organization").getMessage());
    }

    @Test
    void anUnnamedConstraintIsAGenericClientError() {
        assertAnswer("some_other_uk", "23505", Problem.Type.CONFLICT, "The request conflicts with an existing record.");
        assertAnswer(null, "23503", Problem.Type.CONFLICT, "The request refers to a record that does not exist.");
        assertAnswer("some_check", "23514", Problem.Type.MALFORMED, "The request breaks a data rule.");
    }

    private static void assertAnswer(String name, String sqlState, Problem.Type type, String detail) {
        ApiException e = ProblemMappers.constraintError(name, sqlState);
        assertEquals(type, e.type(), name);
        assertEquals(detail, e.getMessage(), name);
    }
}
