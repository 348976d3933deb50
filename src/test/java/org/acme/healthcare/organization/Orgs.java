package org.acme.healthcare.organization;

import static org.acme.healthcare.support.Api.as;

import java.util.Map;

import org.acme.healthcare.support.Api.TestUser;

/** Organizations made through the API, for the tests of this package. */
final class Orgs {
    private Orgs() {
    }

    /** A new organization; {@code admin} is its first admin. */
    static long create(TestUser admin, String name) {
        return as(admin).body(Map.of("name", name)).post("/api/organizations")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** A fresh invitation's code. */
    static String invite(TestUser admin, long org, String role) {
        return as(admin).body(Map.of("role", role)).post("/api/organizations/" + org + "/invitations")
                .then().statusCode(201).extract().jsonPath().getString("code");
    }

    /** {@code user} joins {@code org} with {@code role}, invited by {@code admin}. */
    static void join(TestUser admin, long org, TestUser user, String role) {
        as(user).body(Map.of("code", invite(admin, org, role))).post("/api/invitations/accept").then().statusCode(200);
    }
}
