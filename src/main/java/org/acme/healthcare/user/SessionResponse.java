package org.acme.healthcare.user;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(name = "Session", description = "A live session of the caller: one login, kept alive by its refresh tokens")
public record SessionResponse(
        @Schema(examples = "17") Long id,
        Instant createdAt,
        @Schema(description = "Last login, refresh or request (requests are noted at most once per account-cache period)")
        Instant lastUsedAt,
        @Schema(description = "When the session ends unless it is used again: the earlier of its absolute end (login plus"
                + " `HEALTHCARE_SESSION_MAX_LIFETIME`) and its idle end (last use plus `HEALTHCARE_SESSION_IDLE_TIMEOUT`)")
        Instant expiresAt,
        @Schema(examples = "Mozilla/5.0 (X11; Linux x86_64)") String userAgent,
        @Schema(examples = "203.0.113.7") String clientAddress,
        @Schema(description = "true for the session of the token that asks") boolean current) {

    static SessionResponse from(Session s, Long currentSessionId, Session.Limits limits) {
        return new SessionResponse(s.id, s.createdAt, s.lastUsedAt, limits.endOf(s), s.userAgent, s.clientAddress,
                s.id.equals(currentSessionId));
    }
}
