package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.login;
import static org.acme.healthcare.support.Api.newUser;

import java.util.Map;

import org.acme.healthcare.support.Api;
import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** A token is only as good as the account behind it. */
@QuarkusTest
class AccountStatusTest {

    @Test
    void tokenOfADeletedAccountIsRefusedAndCreatesNothing() {
        TestUser user = newUser();
        QuarkusTransaction.requiringNew().run(() -> User.deleteById(user.id()));
        assertProblem(as(user).get("/api/auth/me").then(), 401).header("WWW-Authenticate", "Bearer");
        assertProblem(as(user).body(Map.of("name", "Orphan")).post("/api/patients").then(), 401);
        assertProblem(as(user).body(Map.of("name", "Dr. Orphan")).post("/api/doctors").then(), 401);
        long orphans = QuarkusTransaction.requiringNew().call(() -> org.acme.healthcare.patient.Patient.count("ownerId", user.id()));
        org.junit.jupiter.api.Assertions.assertEquals(0, orphans);
    }

    @Test
    void demotedAdminLosesAdminRightsWithTheOldToken() {
        TestUser user = newUser();
        as(admin()).body(Map.of("role", "admin")).patch("/api/users/" + user.id()).then().statusCode(200);
        String adminToken = login(user.email(), Api.PASSWORD);
        given().header("Authorization", "Bearer " + adminToken).get("/api/users").then().statusCode(200);
        as(admin()).body(Map.of("role", "user")).patch("/api/users/" + user.id()).then().statusCode(200);
        assertProblem(given().header("Authorization", "Bearer " + adminToken).get("/api/users").then(), 403);
    }
}
