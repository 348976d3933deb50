package org.acme.healthcare.patient;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.envers.RevisionType;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "PatientRevision", description = "One version of a patient record, from its history")
public record PatientRevisionResponse(
        @Schema(description = "The record's version after this change. A delete is a version of its own: one more"
                + " than the version it deleted (whose content `patient` shows)", examples = "1") long version,
        @Schema(enumeration = { "create", "update", "delete" }, examples = "update") String action,
        Instant changedAt,
        @Schema(description = "User id of whoever made the change; absent for the baseline revision of a record"
                + " that existed before history was kept", examples = "7") Long changedBy,
        @Schema(description = "The record as `GET /api/patients/{id}` showed it at this version (for a delete: as it"
                + " was when deleted)") PatientResponse patient) {

    static PatientRevisionResponse from(Patient state, HistoryRevision revision, RevisionType type) {
        boolean deleted = type == RevisionType.DEL;
        return new PatientRevisionResponse(deleted ? state.version + 1 : state.version, action(type),
                revision.changedAt, revision.actorId, PatientResponse.from(state));
    }

    private static String action(RevisionType type) {
        return switch (type) {
            case ADD -> "create";
            case MOD -> "update";
            case DEL -> "delete";
        };
    }
}
