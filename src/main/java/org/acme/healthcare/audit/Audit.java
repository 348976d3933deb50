package org.acme.healthcare.audit;

/** The vocabulary of the audit trail, as stored. */
public final class Audit {
    private Audit() {
    }

    public enum Action {
        CREATE, READ, LIST, UPDATE, DELETE, PURGE,
        /** Authentication: a login, a refresh, the end of a session, a password change, an admin route refused. */
        LOGIN, REFRESH, END, PASSWORD_CHANGE, ACCESS,
        /** Organizations: an invitation made, accepted (join), a member's role changed, removed, left; a break-glass grant. */
        INVITE, JOIN, ROLE_CHANGE, REMOVE, LEAVE, BREAK_GLASS,
        /** System clients: a token asked for at the token endpoint, issued or refused. */
        TOKEN;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum RecordType {
        PATIENT, MAPPING, USER, SESSION, ORGANIZATION,
        /** A system client (SMART Backend Services): registered, revoked, its token requests. */
        CLIENT;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Outcome {
        SUCCESS, DENIED, NOT_FOUND,
        /** A login refused by the throttle (429) or shed for overload (503) before any password check. */
        THROTTLED, SHED;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
