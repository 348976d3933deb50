package org.acme.healthcare.user;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.healthcare.support.Api.TestUser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** /q/metrics counts logins by outcome: success, failure, throttled. */
@QuarkusTest
class LoginMetricsTest {

    private static double count(String outcome) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^healthcare_logins_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} ([0-9.eE+]+)$",
                Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void loginOutcomesAreCounted() {
        TestUser user = newUser();
        double success = count("success");
        double failure = count("failure");
        double throttled = count("throttled");

        ThrottleTest.login(user.email(), PASSWORD).statusCode(200);
        for (int i = 0; i < 5; i++) {
            ThrottleTest.login(user.email(), "wrong-password").statusCode(401);
        }
        ThrottleTest.login(user.email(), "wrong-password").statusCode(429);

        assertEquals(success + 1, count("success"));
        assertEquals(failure + 5, count("failure"));
        assertEquals(throttled + 1, count("throttled"));
    }
}
