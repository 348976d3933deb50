package org.acme.healthcare.client;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.newUser;
import static org.acme.healthcare.support.SmartClients.ASSERTION_TYPE;
import static org.acme.healthcare.support.SmartClients.EC;
import static org.acme.healthcare.support.SmartClients.OTHER_EC;
import static org.acme.healthcare.support.SmartClients.RSA;
import static org.acme.healthcare.support.SmartClients.assertion;
import static org.acme.healthcare.support.SmartClients.claims;
import static org.acme.healthcare.support.SmartClients.form;
import static org.acme.healthcare.support.SmartClients.post;
import static org.acme.healthcare.support.SmartClients.sign;
import static org.acme.healthcare.support.SmartClients.tokenRequest;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.SmartClients;
import org.acme.healthcare.support.SmartClients.Client;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * {@code POST /auth/token} (SMART Backend Services, RFC 7523), refusals first: every malformed
 * request, every assertion that does not authenticate the client, every scope that grants nothing;
 * then the tokens it issues, and an assertion raced against itself. Every error is OAuth's JSON.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenEndpointTest {
    private TestUser admin;
    private long org;
    private Client client;

    /** Once per class, before the first test (RestAssured knows the test port only then). */
    @BeforeEach
    void client() {
        if (admin != null) {
            return;
        }
        admin = newUser();
        org = as(admin).body(Map.of("name", "Token Clinic")).post("/api/organizations").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        client = SmartClients.register(admin, org, "system/*.rs");
    }

    /** OAuth's error JSON (RFC 6749 section 5.2) with this status and code, and nothing of a problem document. */
    static ValidatableResponse oauthError(Response r, int status, String error) {
        return r.then().statusCode(status)
                .contentType(startsWith("application/json"))
                .body("error", equalTo(error))
                .body("error_description", notNullValue())
                .body("access_token", nullValue())
                .body(not(containsString("urn:problem-type")))
                .body(not(containsString("Exception")))
                .body(not(containsString("org.acme")));
    }

    private String full(String assertion, String scope) {
        return form("grant_type", "client_credentials", "client_assertion_type", ASSERTION_TYPE, "client_assertion", assertion,
                "scope", scope);
    }

    // ------------------------------------------------------------------ the request itself

    @Test
    void otherMethodsAndBodyTypesAreOAuthErrors() {
        oauthError(given().get("/auth/token"), 405, "invalid_request");
        oauthError(given().contentType("application/json").body("{\"grant_type\":\"client_credentials\"}").post("/auth/token"),
                415, "invalid_request");
        oauthError(given().contentType("application/json").post("/auth/token"), 415, "invalid_request");
        oauthError(given().contentType("text/plain").body(full(assertion(client.clientId()), "system/*.rs")).post("/auth/token"),
                415, "invalid_request");
        oauthError(given().contentType(SmartClients.FORM).accept("application/xml")
                .body(full(assertion(client.clientId()), "system/*.rs")).post("/auth/token"), 406, "invalid_request");
    }

    @Test
    void malformedFormsAreInvalidRequests() {
        oauthError(post(""), 400, "invalid_request");
        oauthError(post("grant_type=client_credentials&scope=%zz"), 400, "invalid_request");
        oauthError(post(full(assertion(client.clientId()), "system/*.rs") + "&scope=system%2F*.rs"), 400, "invalid_request");
        oauthError(post("a=1&".repeat(40)), 400, "invalid_request");
        // Bytes C3 28 (not UTF-8): RestAssured sends a form body in ISO-8859-1, where they are these two characters.
        oauthError(post("g=\u00C3("), 400, "invalid_request");
    }

    @Test
    void anOversizedFormIsAnOAuthError() {
        String huge = full(assertion(client.clientId()), "system/*.rs") + "&pad=" + "x".repeat(1_100_000);
        oauthError(post(huge), 413, "invalid_request");
    }

    @Test
    void everyParameterIsRequired() {
        String a = assertion(client.clientId());
        oauthError(post(form("client_assertion_type", ASSERTION_TYPE, "client_assertion", a, "scope", "system/*.rs")), 400,
                "invalid_request");
        oauthError(post(form("grant_type", "client_credentials", "client_assertion", a, "scope", "system/*.rs")), 400,
                "invalid_request");
        oauthError(post(form("grant_type", "client_credentials", "client_assertion_type", ASSERTION_TYPE, "scope", "system/*.rs")),
                400, "invalid_request");
        oauthError(post(form("grant_type", "client_credentials", "client_assertion_type", ASSERTION_TYPE, "client_assertion", a)),
                400, "invalid_request");
    }

    @Test
    void aBadGrantTypeIsUnsupported() {
        oauthError(post(form("grant_type", "password", "client_assertion_type", ASSERTION_TYPE,
                "client_assertion", assertion(client.clientId()), "scope", "system/*.rs")), 400, "unsupported_grant_type");
        oauthError(post(form("grant_type", "invalid test value", "client_assertion_type", ASSERTION_TYPE,
                "client_assertion", assertion(client.clientId()), "scope", "system/*.rs")), 400, "unsupported_grant_type");
    }

    @Test
    void aWrongAssertionTypeDoesNotAuthenticate() {
        oauthError(post(form("grant_type", "client_credentials", "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
                "client_assertion", assertion(client.clientId()), "scope", "system/*.rs")), 401, "invalid_client");
    }

    // ------------------------------------------------------------------ the assertion

    private static String es384(JwtClaims c) {
        return sign(c, EC, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, h -> {
        });
    }

    @Test
    void malformedAssertionsDoNotAuthenticate() {
        oauthError(tokenRequest("not-a-jwt", "system/*.rs"), 401, "invalid_client");
        oauthError(tokenRequest("a.b.c", "system/*.rs"), 401, "invalid_client");
        oauthError(tokenRequest("invalid test value", "system/*.rs"), 401, "invalid_client");
        oauthError(tokenRequest("x".repeat(9000), "system/*.rs"), 401, "invalid_client");
    }

    @Test
    void anExpiredAssertionIsRefused() {
        JwtClaims c = claims(client.clientId());
        c.setExpirationTime(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 - 120));
        oauthError(tokenRequest(es384(c), "system/*.rs"), 401, "invalid_client").body("error_description", containsString("expired"));
    }

    @Test
    void anAssertionExpiringMoreThanFiveMinutesAheadIsRefused() {
        JwtClaims c = claims(client.clientId());
        c.setExpirationTime(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 + 600));
        oauthError(tokenRequest(es384(c), "system/*.rs"), 401, "invalid_client").body("error_description", containsString("5 minutes"));
        JwtClaims none = claims(client.clientId());
        none.unsetClaim("exp");
        oauthError(tokenRequest(es384(none), "system/*.rs"), 401, "invalid_client");
    }

    @Test
    void aWrongAudienceIsRefused() {
        for (String aud : List.of("test-bad-aud-value", "https://healthcare-api.test/auth/token/", "http://localhost/auth/token")) {
            JwtClaims c = claims(client.clientId());
            c.setAudience(aud);
            oauthError(tokenRequest(es384(c), "system/*.rs"), 401, "invalid_client");
        }
    }

    @Test
    void issAndSubMustBeTheClient() {
        JwtClaims wrongIss = claims(client.clientId());
        wrongIss.setIssuer("test-iss-value");
        oauthError(tokenRequest(es384(wrongIss), "system/*.rs"), 401, "invalid_client");
        JwtClaims wrongSub = claims(client.clientId());
        wrongSub.setSubject("someone-else");
        oauthError(tokenRequest(es384(wrongSub), "system/*.rs"), 401, "invalid_client");
        JwtClaims noSub = claims(client.clientId());
        noSub.unsetClaim("sub");
        oauthError(tokenRequest(es384(noSub), "system/*.rs"), 401, "invalid_client");
        oauthError(post(form("grant_type", "client_credentials", "client_assertion_type", ASSERTION_TYPE,
                "client_assertion", assertion(client.clientId()), "scope", "system/*.rs", "client_id", "sc_other")), 401,
                "invalid_client");
    }

    @Test
    void anUnknownClientIsRefused() {
        oauthError(tokenRequest(es384(claims("sc_unknown-client")), "system/*.rs"), 401, "invalid_client");
        oauthError(tokenRequest(es384(claims("test-bad-client-id")), "system/*.rs"), 401, "invalid_client");
    }

    @Test
    void anUnknownKidIsRefused() {
        oauthError(tokenRequest(sign(claims(client.clientId()), EC, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
                h -> h.setKeyIdHeaderValue("no-such-kid")), "system/*.rs"), 401, "invalid_client");
        oauthError(tokenRequest(sign(claims(client.clientId()), EC, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
                h -> h.getHeaders().setObjectHeaderValue("kid", null)), "system/*.rs"), 401, "invalid_client");
        // The RSA key's kid with an ES384 signature: no EC key has that kid.
        oauthError(tokenRequest(sign(claims(client.clientId()), EC, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
                h -> h.setKeyIdHeaderValue(RSA.getKeyId())), "system/*.rs"), 401, "invalid_client");
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() {
        oauthError(tokenRequest(sign(claims(client.clientId()), OTHER_EC, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
                h -> {
                }), "system/*.rs"), 401, "invalid_client").body("error_description", containsString("signature"));
        // A valid signature with its last bytes changed.
        String good = assertion(client.clientId());
        String tampered = good.substring(0, good.length() - 4) + (good.endsWith("AAAA") ? "BBBB" : "AAAA");
        oauthError(tokenRequest(tampered, "system/*.rs"), 401, "invalid_client");
    }

    @Test
    void algNoneAndHmacAndOtherAlgorithmsAreRefused() throws Exception {
        JsonWebSignature none = new JsonWebSignature();
        none.setPayload(claims(client.clientId()).toJson());
        none.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        none.setKeyIdHeaderValue(EC.getKeyId());
        oauthError(tokenRequest(none.getCompactSerialization(), "system/*.rs"), 401, "invalid_client");

        JsonWebSignature hmac = new JsonWebSignature();
        hmac.setPayload(claims(client.clientId()).toJson());
        hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hmac.setKeyIdHeaderValue(EC.getKeyId());
        hmac.setKey(new HmacKey("a-secret-a-client-might-guess-0123456789".getBytes(StandardCharsets.UTF_8)));
        oauthError(tokenRequest(hmac.getCompactSerialization(), "system/*.rs"), 401, "invalid_client");

        // RS256 with the registered RSA key: a valid signature, but not an algorithm SMART allows.
        oauthError(tokenRequest(sign(claims(client.clientId()), RSA, AlgorithmIdentifiers.RSA_USING_SHA256, h -> {
        }), "system/*.rs"), 401, "invalid_client");

        // An unsigned token whose header claims ES384: no signature to verify.
        String[] parts = assertion(client.clientId()).split("\\.");
        oauthError(tokenRequest(parts[0] + "." + parts[1] + ".", "system/*.rs"), 401, "invalid_client");
    }

    @Test
    void keysNamedInTheHeaderAreNeverFetchedOrTrusted() {
        oauthError(tokenRequest(sign(claims(client.clientId()), EC, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
                h -> h.setHeader("jku", "test-bad-jku")), "system/*.rs"), 401, "invalid_client");
        oauthError(tokenRequest(sign(claims(client.clientId()), OTHER_EC, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
                h -> h.setJwkHeader(OTHER_EC)), "system/*.rs"), 401, "invalid_client");
    }

    @Test
    void aJtiIsGoodForOneToken() {
        String once = assertion(client.clientId());
        tokenRequest(once, "system/*.rs").then().statusCode(200);
        oauthError(tokenRequest(once, "system/*.rs"), 401, "invalid_client").body("error_description", containsString("used"));
        oauthError(tokenRequest(once, "system/Patient.rs"), 401, "invalid_client");
        JwtClaims noJti = claims(client.clientId());
        noJti.unsetClaim("jti");
        oauthError(tokenRequest(es384(noJti), "system/*.rs"), 401, "invalid_client");
    }

    @Test
    void aRevokedClientIsRefused() {
        Client revoked = SmartClients.register(admin, org, "system/*.rs");
        String ready = assertion(revoked.clientId());
        as(admin).delete("/api/organizations/" + org + "/clients/" + revoked.clientId()).then().statusCode(204);
        oauthError(tokenRequest(ready, "system/*.rs"), 401, "invalid_client");
        oauthError(tokenRequest(assertion(revoked.clientId()), "system/*.rs"), 401, "invalid_client");
    }

    // ------------------------------------------------------------------ scopes

    @Test
    void scopesThatGrantNothingAreInvalidScope() {
        Client patientsOnly = SmartClients.register(admin, org, "system/Patient.rs");
        for (String scope : List.of("", " ", "launch fhirUser", "patient/*.rs", "user/*.read", "system/Condition.rs",
                "system/Observation.rs", "system/Patient.write", "system/Patient.c", "system/Patient.cud", "system/Patient.u",
                "system/UnknownResource.read", "system/UnknownResource.r", "system/Patient.unknownAction", "system/Patient.xyz",
                "system/Patient.rs?a=b", "system/patient.rs", "system/Patient.rs launch", "openid system/Patient.rs")) {
            oauthError(tokenRequest(assertion(patientsOnly.clientId()), scope), 400, "invalid_scope");
        }
    }

    @Test
    void aRefusedScopeLeavesTheAssertionUnspent() {
        String a = assertion(client.clientId());
        oauthError(tokenRequest(a, "system/Patient.write"), 400, "invalid_scope");
        tokenRequest(a, "system/Patient.rs").then().statusCode(200);
    }

    // ------------------------------------------------------------------ tokens

    @Test
    void anEs384AssertionGetsAShortSystemToken() {
        JsonPath token = tokenRequest(assertion(client.clientId()), "system/*.rs").then().statusCode(200)
                .contentType(startsWith("application/json"))
                .header("Cache-Control", containsString("no-store"))
                .body("token_type", equalTo("bearer"))
                .body("expires_in", lessThanOrEqualTo(300))
                .body("scope", equalTo("system/*.rs"))
                .extract().jsonPath();
        JsonPath claims = new JsonPath(new String(Base64.getUrlDecoder().decode(token.getString("access_token").split("\\.")[1]),
                StandardCharsets.UTF_8));
        assertEquals(client.clientId(), claims.getString("client_id"));
        assertEquals(client.clientId(), claims.getString("sub"));
        assertEquals(List.of("system"), claims.getList("groups"));
        assertEquals("system/*.rs", claims.getString("scope"));
        assertNull(claims.get("sid"), "a system token names no session");
        assertEquals(token.getLong("expires_in"), claims.getLong("exp") - claims.getLong("iat"));
    }

    @Test
    void anRs384AssertionGetsAToken() {
        tokenRequest(sign(claims(client.clientId()), RSA, AlgorithmIdentifiers.RSA_USING_SHA384, h -> {
        }), "system/*.read").then().statusCode(200).body("scope", equalTo("system/*.read"));
    }

    @Test
    void theScopeGrantedIsWhatWasAskedForThatTheClientHolds() {
        Client two = SmartClients.register(admin, org, "system/Patient.rs system/Condition.rs");
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("system/*.read", "system/Patient.read system/Condition.read");
        expected.put("system/*.rs", "system/Patient.rs system/Condition.rs");
        expected.put("system/*.cruds", "system/Patient.rs system/Condition.rs");
        expected.put("system/Patient.rs system/Observation.rs", "system/Patient.rs");
        expected.put("system/Patient.r", "system/Patient.r");
        expected.put("system/Condition.s system/Patient.write", "system/Condition.s");
        expected.put("system/Patient.*", "system/Patient.read");
        for (var e : expected.entrySet()) {
            tokenRequest(assertion(two.clientId()), e.getKey()).then().statusCode(200).body("scope", equalTo(e.getValue()));
        }
        // A client holding every type: a type it serves nothing of is still held (BDT's mixed v1 and v2 scopes).
        tokenRequest(assertion(client.clientId()), "system/Patient.read system/Observation.rs").then().statusCode(200)
                .body("scope", equalTo("system/Patient.read system/Observation.rs"));
        tokenRequest(assertion(client.clientId()), "system/*.*").then().statusCode(200).body("scope", equalTo("system/*.read"));
    }

    // ------------------------------------------------------------------ races

    @Test
    void oneAssertionPostedConcurrentlyGetsExactlyOneToken() throws Exception {
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 20; round++) {
                String body = full(assertion(client.clientId()), "system/*.rs");
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> answers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    answers.add(pool.submit(() -> {
                        go.await();
                        return post(body).statusCode();
                    }));
                }
                go.countDown();
                int issued = 0;
                for (Future<Integer> f : answers) {
                    int status = f.get();
                    if (status == 200) {
                        issued++;
                    } else {
                        assertEquals(401, status, "round " + round);
                    }
                }
                assertEquals(1, issued, "round " + round + ": tokens issued for one assertion");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
