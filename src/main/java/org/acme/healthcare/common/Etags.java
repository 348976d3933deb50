package org.acme.healthcare.common;

import jakarta.ws.rs.core.EntityTag;

/**
 * Strong ETags from a record's version, and the {@code If-Match} check for PUT and DELETE:
 * absent means "no precondition"; {@code *} matches any existing record; otherwise one of the
 * listed tags must equal the current one, or the request is refused with 412 and nothing changes.
 * An entity tag is quoted (RFC 9110 8.8.3: {@code "3"}, as the {@code ETag} header gives it); an
 * unquoted one ({@code If-Match: 3}) is a 400 that says so, not a 412 claiming the record changed.
 * Refused rather than read as {@code "3"}: a client that strips the quotes has a bug
 * that would also break its other conditional requests, and caches and proxies compare the
 * quoted form only.
 */
// Not JAX-RS' Request.evaluatePreconditions: the check must run inside the service's transaction,
// on the row it is about to change, and an unquoted tag is a 400 of its own.
public final class Etags {
    private Etags() {
    }

    public static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    public static void checkIfMatch(String ifMatch, long currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        String current = Long.toString(currentVersion);
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.strip();
            if (!tag.equals("*") && !quoted(tag) && !(tag.startsWith("W/") && quoted(tag.substring(2)))) {
                throw new ApiException(Problem.Type.MALFORMED, "If-Match must be an entity tag in double quotes, exactly"
                        + " as the ETag header gave it (If-Match: \"3\"), or *.");
            }
        }
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*")) {
                return;
            }
            if (tag.startsWith("W/")) {
                continue; // If-Match uses the strong comparison (RFC 9110 13.1.1)
            }
            if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")
                    && tag.substring(1, tag.length() - 1).equals(current)) {
                return;
            }
        }
        throw new ApiException(Problem.Type.PRECONDITION_FAILED,
                "The record has changed since you read it (If-Match does not match its ETag). Read it again and retry.");
    }

    private static boolean quoted(String tag) {
        return tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"") && tag.indexOf('"', 1) == tag.length() - 1;
    }
}
