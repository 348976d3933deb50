package org.acme.healthcare.client;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.SmartClients.EC;
import static org.acme.healthcare.support.SmartClients.RSA;
import static org.acme.healthcare.support.SmartClients.jwks;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.OrgRows;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.OctetSequenceJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * {@code /api/organizations/{id}/clients}: who may register, list and revoke (its admins; other
 * members 403, anyone else the 404 of an unknown organization), what keys and scopes are refused,
 * then the happy path.
 */
@QuarkusTest
class ClientRegistrationTest {
    @Inject
    AgroalDataSource db;

    private static Map<String, Object> body(Object jwks, String scope) {
        Map<String, Object> b = new HashMap<>();
        b.put("name", "Registry feed");
        b.put("jwks", jwks);
        b.put("scope", scope);
        return b;
    }

    private static Map<String, Object> publicJwk(PublicJsonWebKey key) {
        return new LinkedHashMap<>(key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    }

    private static Map<String, Object> set(Map<?, ?>... keys) {
        return Map.of("keys", List.of(keys));
    }

    @Test
    void onlyTheOrganizationsAdminsManageItsClients() {
        TestUser admin = newUser();
        TestUser clinician = newUser();
        TestUser outsider = newUser();
        long org = OrgRows.create(db, "Clients clinic", admin.id());
        OrgRows.join(db, org, clinician.id(), "clinician");
        String clients = "/api/organizations/" + org + "/clients";
        Map<String, Object> good = body(jwks(EC), "system/*.rs");

        assertProblem(given().contentType(ContentType.JSON).body(good).post(clients).then(), 401);
        assertProblem(given().get(clients).then(), 401);
        assertProblem(as(outsider).body(good).post(clients).then(), 404);
        assertProblem(as(outsider).get(clients).then(), 404);
        assertProblem(as(outsider).delete(clients + "/sc_x").then(), 404);
        assertProblem(as(admin).body(good).post("/api/organizations/999999999/clients").then(), 404);
        assertProblem(as(clinician).body(good).post(clients).then(), 403);
        assertProblem(as(clinician).get(clients).then(), 403);

        String clientId = as(admin).body(good).post(clients).then().statusCode(201).extract().jsonPath().getString("clientId");
        assertProblem(as(clinician).delete(clients + "/" + clientId).then(), 403);
        assertProblem(as(outsider).delete(clients + "/" + clientId).then(), 404);
        // Another organization's admin cannot reach it through its own organization either.
        long other = OrgRows.create(db, "Other clinic", outsider.id());
        assertProblem(as(outsider).delete("/api/organizations/" + other + "/clients/" + clientId).then(), 404);
        as(admin).get(clients).then().statusCode(200).body("clientId", hasItem(clientId));
    }

    @Test
    void keysThatAreNotPublicRs384OrEs384KeysWithAKidAreRefused() throws Exception {
        TestUser admin = newUser();
        long org = OrgRows.create(db, "Keys clinic", admin.id());
        String clients = "/api/organizations/" + org + "/clients";

        Map<String, Object> withPrivate = new LinkedHashMap<>(EC.toParams(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        Map<String, Object> noKid = publicJwk(EC);
        noKid.remove("kid");
        Map<String, Object> wrongAlg = publicJwk(EC);
        wrongAlg.put("alg", "RS384");
        Map<String, Object> encryption = publicJwk(RSA);
        encryption.put("use", "enc");
        Map<String, Object> signOnly = publicJwk(EC);
        signOnly.put("key_ops", List.of("sign"));
        PublicJsonWebKey p256 = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        p256.setKeyId("p256");
        PublicJsonWebKey rsa1024 = RsaJwkGenerator.generateJwk(1024);
        rsa1024.setKeyId("small");
        OctetSequenceJsonWebKey oct = new OctetSequenceJsonWebKey(new javax.crypto.spec.SecretKeySpec(new byte[32], "HmacSHA256"));
        oct.setKeyId("hmac");
        Map<String, Object> broken = publicJwk(EC);
        broken.remove("y");

        List<Object> bad = new ArrayList<>(List.of(
                set(withPrivate), set(noKid), set(wrongAlg), set(encryption), set(signOnly),
                set(publicJwk(p256)), set(publicJwk(rsa1024)), set(oct.toParams(JsonWebKey.OutputControlLevel.INCLUDE_SYMMETRIC)),
                set(broken), set(publicJwk(EC), publicJwk(EC)), Map.of("keys", List.of()), Map.of("keys", "x"),
                Map.of(), List.of(publicJwk(EC)), "jwks", 12, Map.of("keys", List.of("x"))));
        for (Object jwks : bad) {
            assertProblem(as(admin).body(body(jwks, "system/*.rs")).post(clients).then(), 400)
                    .body("errors.field", equalTo(List.of("jwks")))
                    .body(not(containsString("\"d\"")));
        }
        assertEquals(0L, ((Number) OrgRows.single(db, "select count(*) from system_clients where organization_id = ?", org))
                .longValue());
    }

    @Test
    void scopesOtherThanSystemReadScopesAreRefused() {
        TestUser admin = newUser();
        long org = OrgRows.create(db, "Scopes clinic", admin.id());
        String clients = "/api/organizations/" + org + "/clients";
        for (String scope : List.of("", "   ", "system/*.write", "system/*.cruds", "system/*.*", "system/Patient.c",
                "patient/*.rs", "user/Patient.read", "launch", "system/Unknown.rs", "system/patient.rs", "system/*.rs?x=y",
                "system/Patient.rs openid", "system/*.xyz")) {
            assertProblem(as(admin).body(body(jwks(EC), scope)).post(clients).then(), 400)
                    .body("errors.field", equalTo(List.of("scope")));
        }
        // Every bad field at once.
        assertProblem(as(admin).body(body(Map.of("keys", List.of()), "system/*.write")).post(clients).then(), 400)
                .body("errors.field", equalTo(List.of("jwks", "scope")));
        Map<String, Object> missing = new HashMap<>();
        assertProblem(as(admin).body(missing).post(clients).then(), 400)
                .body("errors.field", equalTo(List.of("jwks", "name", "scope")));
    }

    @Test
    void aClientIsRegisteredListedAndRevoked() {
        TestUser admin = newUser();
        long org = OrgRows.create(db, "Lifecycle clinic", admin.id());
        String clients = "/api/organizations/" + org + "/clients";
        var created = as(admin).body(body(jwks(EC, RSA), "system/Patient.rs  system/Condition.rs system/Patient.rs"))
                .post(clients).then().statusCode(201)
                .contentType(startsWith("application/json"))
                .body("clientId", startsWith("sc_"))
                .body("name", equalTo("Registry feed"))
                .body("scope", equalTo("system/Patient.rs system/Condition.rs"))
                .body("createdAt", notNullValue())
                .body(not(containsString("jwks")))
                .extract().jsonPath();
        String clientId = created.getString("clientId");
        String second = as(admin).body(body(jwks(RSA), "system/*.read")).post(clients).then().statusCode(201)
                .extract().jsonPath().getString("clientId");

        as(admin).get(clients).then().statusCode(200).header("X-Total-Count", "2")
                .body("clientId", equalTo(List.of(clientId, second)));
        as(admin).delete(clients + "/" + clientId).then().statusCode(204);
        assertProblem(as(admin).delete(clients + "/" + clientId).then(), 404);
        assertProblem(as(admin).delete(clients + "/sc_never-registered").then(), 404);
        as(admin).get(clients).then().statusCode(200).header("X-Total-Count", "1").body("clientId", equalTo(List.of(second)));

        // Both changes are in the organization's audit trail as changes of the client.
        as(admin).get("/api/organizations/" + org + "/audit?recordType=client").then().statusCode(200)
                .body("action", hasItem("create")).body("action", hasItem("delete"));
    }
}
