package org.acme.healthcare.client;

/**
 * A token request refused, in OAuth's own terms (RFC 6749 section 5.2): the {@code error} code, a
 * description written for the client (never an echoed value), and the status: 401 for
 * {@code invalid_client} (the client did not authenticate), 400 otherwise.
 */
public final class OAuthError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_CLIENT = "invalid_client";
    public static final String INVALID_GRANT = "invalid_grant";
    public static final String INVALID_SCOPE = "invalid_scope";
    public static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";

    private final String error;
    /** The client the request named, when known (for the audit); null otherwise. */
    private final transient SystemClient client;

    OAuthError(String error, String description) {
        this(error, description, null);
    }

    OAuthError(String error, String description, SystemClient client) {
        super(description, null, false, false);
        this.error = error;
        this.client = client;
    }

    public String error() {
        return error;
    }

    public int status() {
        return INVALID_CLIENT.equals(error) ? 401 : 400;
    }

    SystemClient client() {
        return client;
    }

    static OAuthError invalidClient(String description) {
        return new OAuthError(INVALID_CLIENT, description);
    }

    static OAuthError invalidClient(String description, SystemClient client) {
        return new OAuthError(INVALID_CLIENT, description, client);
    }

    static OAuthError invalidRequest(String description) {
        return new OAuthError(INVALID_REQUEST, description);
    }
}
