package org.acme.healthcare.common;

/** The kinds of problem the API reports, with their status and title. */
public enum ProblemType {
    VALIDATION(400, "Bad Request", "validation"),
    MALFORMED(400, "Bad Request", "malformed-request"),
    UNAUTHORIZED(401, "Unauthorized", "unauthorized"),
    FORBIDDEN(403, "Forbidden", "forbidden"),
    NOT_FOUND(404, "Not Found", "not-found"),
    METHOD_NOT_ALLOWED(405, "Method Not Allowed", "method-not-allowed"),
    NOT_ACCEPTABLE(406, "Not Acceptable", "not-acceptable"),
    CONFLICT(409, "Conflict", "conflict"),
    PRECONDITION_FAILED(412, "Precondition Failed", "precondition-failed"),
    PAYLOAD_TOO_LARGE(413, "Content Too Large", "payload-too-large"),
    URI_TOO_LONG(414, "URI Too Long", "uri-too-long"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported Media Type", "unsupported-media-type"),
    TOO_MANY_REQUESTS(429, "Too Many Requests", "too-many-requests"),
    HEADER_FIELDS_TOO_LARGE(431, "Request Header Fields Too Large", "header-fields-too-large"),
    INTERNAL(500, "Internal Server Error", "internal"),
    SERVICE_UNAVAILABLE(503, "Service Unavailable", "unavailable");

    public final int status;
    public final String title;
    public final String slug;

    ProblemType(int status, String title, String slug) {
        this.status = status;
        this.title = title;
        this.slug = slug;
    }

    /** The problem type for an HTTP status the framework produced. */
    public static ProblemType forStatus(int status) {
        for (ProblemType t : values()) {
            if (t.status == status && t != VALIDATION) {
                return t;
            }
        }
        return status >= 500 ? INTERNAL : MALFORMED;
    }
}
