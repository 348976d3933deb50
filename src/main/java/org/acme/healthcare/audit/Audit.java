package org.acme.healthcare.audit;

/** The vocabulary of the audit trail, as stored. */
public final class Audit {
    private Audit() {
    }

    public enum Action {
        CREATE, READ, LIST, UPDATE, DELETE, PURGE;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum RecordType {
        PATIENT, MAPPING, USER;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Outcome {
        SUCCESS, DENIED, NOT_FOUND;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
