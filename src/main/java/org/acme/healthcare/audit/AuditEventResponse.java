package org.acme.healthcare.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "AuditEvent", description = "One access to a patient record or mapping, or one authentication event (login, refresh,"
        + " session end, password or account change, refused admin route). Ids only, never clinical content, never a secret.")
public record AuditEventResponse(
        Long id,
        Instant occurredAt,
        @Schema(description = "User id of the caller; absent for a login that did not get in, and for a session the service"
                + " ended itself (a replayed refresh token)") Long actorId,
        @Schema(enumeration = { "create", "read", "list", "update", "delete", "purge", "login", "refresh", "end",
                "password_change", "access", "invite", "join", "role_change", "remove", "leave", "break_glass", "token" },
                description = "`purge`: the record and its history were erased (no content is kept). `end`: a session ended"
                        + " (`detail.reason`). `access`: an admin route was refused (`detail.method`, `detail.path`)")
        String action,
        @Schema(enumeration = { "patient", "mapping", "user", "session", "organization", "client" }) String recordType,
        @Schema(description = "Id of the record; absent for lists") Long recordId,
        @Schema(description = "For a list or search: the ids of the records it returned") List<Long> recordIds,
        @Schema(description = "For an export: how many patients' data it held. Their ids are not listed here (an export can"
                + " hold millions); filter by `recordId`, or read a patient's access report, to find the exports that held a"
                + " patient") Integer recordCount,
        @Schema(enumeration = { "success", "denied", "not_found", "throttled", "shed" },
                description = "`throttled`: a login refused with 429; `shed`: a login refused with 503 for overload") String outcome,
        @Schema(description = "The service's own id of the request (a UUID), as in its log lines; a client cannot choose it")
        String requestId,
        @Schema(description = "The `X-Request-Id` the client sent, when it sent one of 1 to 64 characters of"
                + " `A-Z a-z 0-9 . _ : -`; absent otherwise") String clientRequestId,
        String clientAddress,
        @Schema(description = "The organization the access went through; absent for a personal patient, an account or"
                + " session event, and a refusal that must not say where the record lives") Long organizationId,
        @Schema(description = "Authentication: a login's normalised `email` and the `reason` it was refused; a session"
                + " end's `reason` (logout, revoked, password_change, disabled, replay) and `accountId`; an account change's"
                + " `role` and `disabled`, each `{before, after}`. Organizations: a membership change's `userId` and `role`"
                + " (`{before, after}` for `role_change`), an invitation's `invitationId`. Break-glass: the grant and every"
                + " read under it carry `breakGlass: true` and the `reason`", examples = "{\"email\": \"ada@example.org\","
                + " \"reason\": \"wrong_password\"}") Map<String, Object> detail) {

    public static AuditEventResponse from(AuditEvent e) {
        return new AuditEventResponse(e.id, e.occurredAt, e.actorId, e.action, e.recordType, e.recordId,
                e.recordIds == null ? null : List.of(e.recordIds), e.recordCount, e.outcome,
                e.requestId, e.clientRequestId, e.clientAddress, e.organizationId, e.detail);
    }
}
