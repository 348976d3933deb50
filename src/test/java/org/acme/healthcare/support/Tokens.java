package org.acme.healthcare.support;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** Forged and odd tokens for the authentication tests; signed in-process with the test key unless said otherwise. */
public final class Tokens {
    public static final String ISSUER = "https://healthcare-api.local";
    public static final String AUDIENCE = "healthcare-api";

    private Tokens() {
    }

    public static JwtClaimsBuilder claims(long userId, String role) {
        Instant now = Instant.now();
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(String.valueOf(userId)).upn("someone@example.com")
                .groups(Set.of(role)).issuedAt(now).expiresAt(now.plusSeconds(600));
    }

    public static String expired(long userId) {
        Instant past = Instant.now().minusSeconds(3600);
        return claims(userId, "user").issuedAt(past.minusSeconds(600)).expiresAt(past).sign();
    }

    public static String otherIssuer(long userId) {
        return claims(userId, "user").issuer("https://evil.example").sign();
    }

    public static String otherKey(long userId) {
        return claims(userId, "user").sign(newPrivateKey());
    }

    public static String algNone(long userId, String role) {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        long now = Instant.now().getEpochSecond();
        String payload = b64("{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + userId + "\",\"groups\":[\"" + role
                + "\"],\"iat\":" + now + ",\"exp\":" + (now + 600) + "}");
        return header + "." + payload + ".";
    }

    /** A valid token whose payload was edited after signing (the user makes themselves admin). */
    public static String tampered(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"user\"", "\"admin\"");
        return parts[0] + "." + b64(payload) + "." + parts[2];
    }

    public static String payloadJson(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static PrivateKey newPrivateKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair().getPrivate();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
