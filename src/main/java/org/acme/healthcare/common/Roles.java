package org.acme.healthcare.common;

/** The two roles; the strings are what tokens carry in {@code groups} and what the database stores. */
public final class Roles {
    public static final String USER = "user";
    public static final String ADMIN = "admin";

    private Roles() {
    }

}
