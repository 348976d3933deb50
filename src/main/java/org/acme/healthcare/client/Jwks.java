package org.acme.healthcare.client;

import java.security.interfaces.RSAPublicKey;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * A client's registered JWK Set (jose4j reads the keys): RSA keys for RS384 (2048 bits or more)
 * and EC P-384 keys for ES384, each with a {@code kid} unique in the set, public parts only. A key
 * with a private or symmetric member ({@code d}, {@code p}, {@code q}, {@code dp}, {@code dq},
 * {@code qi}, {@code oth}, {@code k}) is refused, never stored; so is one whose {@code alg},
 * {@code use} or {@code key_ops} says it is for something else.
 */
final class Jwks {
    static final int MAX_KEYS = 10;
    private static final Set<String> PRIVATE = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private Jwks() {
    }

    /** Why this JWK Set cannot be registered; empty when it can. */
    static Optional<String> problem(Object jwks) {
        if (!(jwks instanceof Map<?, ?> set) || !(set.get("keys") instanceof List<?> keys)) {
            return Optional.of("must be a JWK Set: {\"keys\": [...]}");
        }
        if (keys.isEmpty() || keys.size() > MAX_KEYS) {
            return Optional.of("must hold 1 to " + MAX_KEYS + " keys");
        }
        Set<String> kids = new HashSet<>();
        for (Object k : keys) {
            if (!(k instanceof Map<?, ?> key)) {
                return Optional.of("every key must be a JWK object");
            }
            Optional<String> problem = keyProblem(key);
            if (problem.isPresent()) {
                return problem;
            }
            if (!kids.add((String) key.get("kid"))) {
                return Optional.of("every key's kid must be unique in the set");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> keyProblem(Map<?, ?> key) {
        for (Object member : key.keySet()) {
            if (PRIVATE.contains(member)) {
                return Optional.of("must hold public keys only (no private or symmetric key members)");
            }
        }
        if (!(key.get("kid") instanceof String kid) || kid.isBlank() || kid.length() > 255) {
            return Optional.of("every key needs a kid (1 to 255 characters)");
        }
        Object kty = key.get("kty");
        String alg = "RSA".equals(kty) ? AlgorithmIdentifiers.RSA_USING_SHA384
                : "EC".equals(kty) ? AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384 : null;
        if (alg == null) {
            return Optional.of("keys must be RSA (RS384) or EC P-384 (ES384)");
        }
        if (key.containsKey("alg") && !alg.equals(key.get("alg"))) {
            return Optional.of("an RSA key's alg must be RS384 and an EC key's ES384");
        }
        if (key.containsKey("use") && !"sig".equals(key.get("use"))) {
            return Optional.of("a key's use, when given, must be sig");
        }
        if (key.containsKey("key_ops") && !(key.get("key_ops") instanceof List<?> ops && ops.contains("verify"))) {
            return Optional.of("a key's key_ops, when given, must include verify");
        }
        PublicJsonWebKey jwk;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) key;
            jwk = PublicJsonWebKey.Factory.newPublicJwk(params);
        } catch (JoseException | RuntimeException e) {
            return Optional.of("every key must be a valid public JWK");
        }
        if (jwk instanceof RsaJsonWebKey rsa && ((RSAPublicKey) rsa.getPublicKey()).getModulus().bitLength() < 2048) {
            return Optional.of("RSA keys must have at least 2048 bits");
        }
        if (jwk instanceof EllipticCurveJsonWebKey ec && !EllipticCurves.P_384.equals(ec.getCurveName())) {
            return Optional.of("EC keys must be on the P-384 curve (ES384)");
        }
        return Optional.empty();
    }

    /**
     * The registered key that verifies an assertion with this {@code kid} and {@code alg}
     * (RS384: an RSA key, ES384: an EC key); empty when there is none.
     */
    static Optional<PublicJsonWebKey> verifier(Map<String, Object> jwks, String kid, String alg) {
        if (kid == null || !(jwks.get("keys") instanceof List<?> keys)) {
            return Optional.empty();
        }
        String kty = AlgorithmIdentifiers.RSA_USING_SHA384.equals(alg) ? RsaJsonWebKey.KEY_TYPE
                : AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384.equals(alg) ? EllipticCurveJsonWebKey.KEY_TYPE : null;
        for (Object k : keys) {
            if (k instanceof Map<?, ?> key && kid.equals(key.get("kid")) && kty != null && kty.equals(key.get("kty"))) {
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> params = (Map<String, Object>) key;
                    JsonWebKey jwk = JsonWebKey.Factory.newJwk(params);
                    if (jwk instanceof PublicJsonWebKey pub) {
                        return Optional.of(pub);
                    }
                } catch (JoseException | RuntimeException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
