package org.acme.healthcare.support;

import static io.restassured.RestAssured.given;
import static org.acme.healthcare.support.Api.as;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.acme.healthcare.support.Api.TestUser;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import io.restassured.response.Response;

/**
 * System clients for tests (SMART Backend Services): key pairs made with jose4j, clients registered
 * through the API, client assertions signed as a client would sign them, and token requests.
 */
public final class SmartClients {
    /** The token endpoint's URL as the test profile names it (healthcare.clients.token-url): the aud of assertions. */
    public static final String AUDIENCE = "https://healthcare-api.test/auth/token";
    public static final String FORM = "application/x-www-form-urlencoded";
    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** Made once: RSA key generation is slow, and every test may share them (each client registers its own public part). */
    public static final PublicJsonWebKey EC = generate(false, "ec-key-1");
    public static final PublicJsonWebKey RSA = generate(true, "rsa-key-1");
    /** Another EC key under the same kid as {@link #EC}: its signatures must not verify. */
    public static final PublicJsonWebKey OTHER_EC = generate(false, "ec-key-1");

    private SmartClients() {
    }

    /** A registered client: its public id and its organization. */
    public record Client(String clientId, long organizationId) {
    }

    private static PublicJsonWebKey generate(boolean rsa, String kid) {
        try {
            PublicJsonWebKey key = rsa ? RsaJwkGenerator.generateJwk(2048) : EcJwkGenerator.generateJwk(EllipticCurves.P384);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWK Set of these keys, as a client registers it (with alg and use). */
    public static Map<String, Object> jwks(PublicJsonWebKey... keys) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (PublicJsonWebKey k : keys) {
            Map<String, Object> params = new LinkedHashMap<>(k.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
            params.put("alg", k.getKeyType().equals("RSA") ? AlgorithmIdentifiers.RSA_USING_SHA384
                    : AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384);
            params.put("use", "sig");
            list.add(params);
        }
        return Map.of("keys", list);
    }

    /** Registers a client of {@code org} through the API, as its admin, with both test keys. */
    public static Client register(TestUser admin, long org, String scope) {
        String clientId = as(admin).body(Map.of("name", "Warehouse " + UUID.randomUUID(), "jwks", jwks(EC, RSA), "scope", scope))
                .post("/api/organizations/" + org + "/clients").then().statusCode(201).extract().jsonPath().getString("clientId");
        return new Client(clientId, org);
    }

    /** The claims of a valid assertion for this client: iss = sub = clientId, aud, exp in 4 minutes, a fresh jti. */
    public static JwtClaims claims(String clientId) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(clientId);
        c.setSubject(clientId);
        c.setAudience(AUDIENCE);
        c.setExpirationTime(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 + 240));
        c.setIssuedAtToNow();
        c.setJwtId(UUID.randomUUID().toString());
        return c;
    }

    /** A valid ES384 assertion for this client. */
    public static String assertion(String clientId) {
        return sign(claims(clientId), EC, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, h -> {
        });
    }

    /** The claims signed with {@code key} under {@code alg}, the header's kid the key's, then {@code header} adjusts it. */
    public static String sign(JwtClaims claims, PublicJsonWebKey key, String alg, Consumer<JsonWebSignature> header) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(alg);
            header.accept(jws);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A form body from name, value pairs (null values left out), percent-encoded. */
    public static String form(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                m.put(pairs[i], pairs[i + 1]);
            }
        }
        return m.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** POST /auth/token with a complete, valid form but for what the arguments say. */
    public static Response tokenRequest(String assertion, String scope) {
        return post(form("grant_type", "client_credentials", "client_assertion_type", ASSERTION_TYPE,
                "client_assertion", assertion, "scope", scope));
    }

    public static Response post(String formBody) {
        return given().contentType(FORM).body(formBody).post("/auth/token");
    }

    /** A system token for this client with this scope (the request must succeed). */
    public static String token(Client client, String scope) {
        return tokenRequest(assertion(client.clientId()), scope).then().statusCode(200).extract().jsonPath().getString("access_token");
    }
}
