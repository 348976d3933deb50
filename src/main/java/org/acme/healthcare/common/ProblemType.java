package org.acme.healthcare.common;

/**
 * The kinds of problem the API reports: status, title, the slug of its type URI, and the detail
 * used when the framework answered the status itself (an unknown path, a wrong method ...).
 */
public enum ProblemType {
    VALIDATION(400, "Bad Request", "validation", "The request is invalid."),
    MALFORMED(400, "Bad Request", "malformed-request", "The request could not be processed."),
    UNAUTHORIZED(401, "Unauthorized", "unauthorized", "A valid bearer token is required."),
    FORBIDDEN(403, "Forbidden", "forbidden", "You are not allowed to do this."),
    NOT_FOUND(404, "Not Found", "not-found", "No resource exists at this path."),
    METHOD_NOT_ALLOWED(405, "Method Not Allowed", "method-not-allowed", "This path does not support the request method."),
    NOT_ACCEPTABLE(406, "Not Acceptable", "not-acceptable", "The service answers application/json only."),
    CONFLICT(409, "Conflict", "conflict", "The request could not be processed."),
    PRECONDITION_FAILED(412, "Precondition Failed", "precondition-failed", "The request could not be processed."),
    PAYLOAD_TOO_LARGE(413, "Content Too Large", "payload-too-large", "The request body is too large."),
    URI_TOO_LONG(414, "URI Too Long", "uri-too-long", "The request line is longer than the service accepts."),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported Media Type", "unsupported-media-type", "The request body must be application/json."),
    TOO_MANY_REQUESTS(429, "Too Many Requests", "too-many-requests", "The request could not be processed."),
    HEADER_FIELDS_TOO_LARGE(431, "Request Header Fields Too Large", "header-fields-too-large",
            "The request headers are larger than the service accepts."),
    INTERNAL(500, "Internal Server Error", "internal", "The request could not be processed."),
    SERVICE_UNAVAILABLE(503, "Service Unavailable", "unavailable", "The request could not be processed.");

    public final int status;
    public final String title;
    public final String slug;
    /** The detail of a problem the framework answered with this status; never an exception's message. */
    public final String detail;

    ProblemType(int status, String title, String slug, String detail) {
        this.status = status;
        this.title = title;
        this.slug = slug;
        this.detail = detail;
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
