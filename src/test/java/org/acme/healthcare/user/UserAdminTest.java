package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.admin;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.login;
import static org.acme.healthcare.support.Api.newUser;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.Map;

import org.acme.healthcare.common.Roles;
import org.acme.healthcare.support.Api;
import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class UserAdminTest {

    @Test
    void configuredAdminExistsWithAdminRole() {
        given().header("Authorization", "Bearer " + admin().token()).get("/api/auth/me")
                .then().statusCode(200).body("role", equalTo("admin")).body("email", equalTo(Api.ADMIN_EMAIL));
    }

    @Test
    void accountChangeTakesJsonOnly() {
        // Documented as 415 by the OpenAPI filter, as for every operation that takes a body.
        assertProblem(Api.withToken(admin().token()).contentType(ContentType.TEXT).body("role=admin")
                .patch("/api/users/" + newUser().id()).then(), 415);
    }

    @Test
    void aMalformedContentLengthIs400EvenWhereNoBodyIsTaken() {
        // Why the OpenAPI filter documents 400 on every operation, GET /api/auth/me included. (The
        // HTTP decoder answers this one itself, before any handler, so without a problem body.)
        Api.withToken(newUser().token()).header("Content-Length", "12x").get("/api/auth/me").then().statusCode(400);
    }

    @Test
    void bootstrapIsIdempotent() {
        // The account was created at start-up; a replica that lost the race to insert it neither
        // duplicates it, nor fails, nor overwrites its password.
        io.quarkus.arc.Arc.container().instance(AdminBootstrap.class).get().createAdmin(Api.ADMIN_EMAIL, "$2a$04$unused");
        long count = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> User.count("email", Api.ADMIN_EMAIL));
        org.junit.jupiter.api.Assertions.assertEquals(1, count);
        admin(); // still logs in with its own password
    }

    @Test
    void onlyAdminsListUsers() {
        assertProblem(as(newUser()).get("/api/users").then(), 403);
        assertProblem(given().get("/api/users").then(), 401);
        newUser();
        as(admin()).queryParam("size", 500).get("/api/users").then().statusCode(200)
                .header("X-Total-Count", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]*"))
                .body("size()", lessThanOrEqualTo(500))
                .body("email", hasItem(Api.ADMIN_EMAIL));
        as(admin()).queryParam("size", 0).get("/api/users").then().statusCode(400);
    }

    @Test
    void adminPromotesAndDemotes() {
        TestUser user = newUser();
        as(admin()).body(Map.of("role", "admin")).patch("/api/users/" + user.id())
                .then().statusCode(200).body("role", equalTo("admin"));
        // A fresh token carries the new role.
        String token = login(user.email(), Api.PASSWORD);
        given().header("Authorization", "Bearer " + token).get("/api/users").then().statusCode(200);
        as(admin()).body(Map.of("role", "user")).patch("/api/users/" + user.id())
                .then().statusCode(200).body("role", equalTo("user"));
    }

    @Test
    void roleChangeIsValidated() {
        TestUser user = newUser();
        assertProblem(as(admin()).body(Map.of("role", "superuser")).patch("/api/users/" + user.id()).then(), 400)
                .body("errors.field", hasItem("role"));
        assertProblem(as(admin()).body(Map.of("role", "admin")).patch("/api/users/" + Long.MAX_VALUE).then(), 404);
        assertProblem(as(newUser()).body(Map.of("role", "admin")).patch("/api/users/" + user.id()).then(), 403);
    }

    @Test
    void lastAdminCannotDemoteItself() {
        TestUser root = admin();
        // Demote every other admin left by other tests, so the configured one is the last.
        List<Long> others = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> User
                .<User> list("role", Roles.ADMIN).stream().map(u -> u.id).filter(id -> id != root.id()).toList());
        for (long id : others) {
            as(root).body(Map.of("role", "user")).patch("/api/users/" + id).then().statusCode(200);
        }
        assertProblem(given().contentType(ContentType.JSON).header("Authorization", "Bearer " + root.token())
                .body(Map.of("role", "user")).patch("/api/users/" + root.id()).then(), 409);
        given().header("Authorization", "Bearer " + root.token()).get("/api/auth/me")
                .then().body("role", equalTo("admin"));
    }
}
