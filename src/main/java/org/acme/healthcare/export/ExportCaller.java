package org.acme.healthcare.export;

import org.acme.healthcare.client.SmartScopes;
import org.acme.healthcare.user.CurrentUser;

/**
 * Who kicks off, polls, downloads or cancels an export: a user (their own token), or a registered
 * client (SMART Backend Services: {@code clientId}, its organization and its token's scopes). Only
 * the one who kicked a job off may see it; to anyone else it does not exist. {@code accessId} is
 * the caller as the access rule (patient/PatientAccess) knows it: a user's id, or a client's
 * negative row id.
 */
record ExportCaller(Long userId, String clientId, long accessId, Long clientOrganizationId, String scope) {
    static ExportCaller of(CurrentUser user) {
        CurrentUser.SystemCaller system = user.systemOrNull();
        if (system != null) {
            return new ExportCaller(null, system.clientId(), system.accessId(), system.organizationId(), system.scope());
        }
        long id = user.id();
        return new ExportCaller(id, null, id, null, null);
    }

    boolean system() {
        return clientId != null;
    }

    boolean owns(ExportJob job) {
        return userId != null ? userId.equals(job.userId) : clientId != null && clientId.equals(job.clientId);
    }

    /** Whether the caller may read resources of this type: a user, always; a system token, when a scope reads it. */
    boolean reads(String type) {
        return !system() || SmartScopes.granted(scope).stream().anyMatch(s -> s.allows(type, 'r'));
    }
}
