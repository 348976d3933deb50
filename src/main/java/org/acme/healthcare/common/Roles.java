package org.acme.healthcare.common;

/**
 * The roles; the strings are what tokens carry in {@code groups}. {@code user} and {@code admin}
 * are accounts' (stored with them); {@code system} is a system client's token (client/, SMART
 * Backend Services): it reads FHIR within its scopes and nothing else.
 */
public final class Roles {
    public static final String USER = "user";
    public static final String ADMIN = "admin";
    public static final String SYSTEM = "system";

    private Roles() {
    }

}
