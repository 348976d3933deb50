package org.acme.healthcare.client;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.SmartClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * docs/bulk-export.md's client side as written: {@code ops/smart-token.sh} makes a key, its JWK Set
 * (registered through the API) and a signed assertion with openssl alone, and gets a token that reads.
 */
@QuarkusTest
class SmartTokenScriptTest {
    @TestHTTPResource("/")
    java.net.URL base;

    @TempDir
    Path dir;

    private String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "ops/smart-token.sh"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        String b = base.toString().replaceAll("/$", "");
        pb.environment().put("B", b);
        pb.environment().put("TOKEN_URL", b + "/auth/token");
        pb.environment().put("AUDIENCE", SmartClients.AUDIENCE);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), out);
        return out.strip();
    }

    @Test
    void theScriptsKeysAndAssertionsGetTokensForEs384AndRs384() throws Exception {
        TestUser admin = newUser();
        long org = as(admin).body(Map.of("name", "Script Clinic")).post("/api/organizations").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        long patient = as(admin).body(Map.of("name", "Scripted", "organizationId", org)).post("/api/patients").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        for (String type : List.of("ec", "rsa")) {
            Path key = dir.resolve(type + ".pem");
            run("keygen", type, key.toString());
            String jwks = run("jwks", key.toString(), "key-" + type);
            String clientId = as(admin).body(Map.of("name", "Scripted " + type, "jwks", new JsonPath(jwks).getMap(""),
                    "scope", "system/Patient.rs")).post("/api/organizations/" + org + "/clients").then().statusCode(201)
                    .extract().jsonPath().getString("clientId");
            JsonPath token = new JsonPath(run("token", clientId, key.toString(), "key-" + type, "system/*.read"));
            assertEquals("system/Patient.read", token.getString("scope"), token.prettify());
            given().header("Authorization", "Bearer " + token.getString("access_token")).get("/fhir/Patient/" + patient)
                    .then().statusCode(200);
        }
    }
}
