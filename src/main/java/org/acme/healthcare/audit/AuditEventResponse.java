package org.acme.healthcare.audit;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "AuditEvent", description = "One access to a patient record or mapping. Ids only, never clinical content.")
public record AuditEventResponse(
        Long id,
        Instant occurredAt,
        @Schema(description = "User id of the caller") Long actorId,
        @Schema(enumeration = { "create", "read", "list", "update", "delete", "purge" },
                description = "`purge`: the record and its history were erased (no content is kept)") String action,
        @Schema(enumeration = { "patient", "mapping", "user" }) String recordType,
        @Schema(description = "Id of the record; absent for lists") Long recordId,
        @Schema(description = "For a list or search: the ids of the records it returned") List<Long> recordIds,
        @Schema(enumeration = { "success", "denied", "not_found" }) String outcome,
        @Schema(description = "The service's own id of the request (a UUID), as in its log lines; a client cannot choose it")
        String requestId,
        @Schema(description = "The `X-Request-Id` the client sent, when it sent one of 1 to 64 characters of"
                + " `A-Z a-z 0-9 . _ : -`; absent otherwise") String clientRequestId,
        String clientAddress) {

    static AuditEventResponse from(AuditEvent e) {
        return new AuditEventResponse(e.id, e.occurredAt, e.actorId, e.action, e.recordType, e.recordId,
                e.recordIds == null ? null : List.of(e.recordIds), e.outcome,
                e.requestId, e.clientRequestId, e.clientAddress);
    }
}
