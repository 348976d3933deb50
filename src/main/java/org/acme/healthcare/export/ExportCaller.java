package org.acme.healthcare.export;

import org.acme.healthcare.user.CurrentUser;

/**
 * Who kicks off, polls, downloads or cancels an export: a user (their own token), or a registered
 * client (SMART Backend Services). Only the one who kicked a job off may see it; to anyone else
 * it does not exist. {@code accessId} is the caller as the access rule (patient/PatientAccess)
 * knows it.
 */
record ExportCaller(Long userId, String clientId, long accessId) {
    static ExportCaller of(CurrentUser user) {
        long id = user.id();
        return new ExportCaller(id, null, id);
    }

    boolean owns(ExportJob job) {
        return userId != null ? userId.equals(job.userId) : clientId != null && clientId.equals(job.clientId);
    }
}
