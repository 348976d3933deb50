package org.acme.healthcare.client;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;

/**
 * Checks a client assertion (RFC 7523 section 3, SMART Backend Services "authenticating"), with
 * jose4j, in two passes: first it is read without trusting it, to learn which client ({@code iss})
 * and which key ({@code kid}) it names; then it is verified with that client's registered key:
 * <ul>
 * <li>a JWS (not a JWE, not nested), {@code alg} RS384 or ES384 (so never {@code none} or an HMAC),
 * with a {@code kid} of the client's registered keys of that type; no {@code jku}, {@code x5u},
 * {@code jwk} or {@code x5c} header (keys come from the registration only);</li>
 * <li>{@code iss} = {@code sub} = a registered client that is not revoked;</li>
 * <li>{@code aud} = the token endpoint's URL ({@link TokenEndpoint});</li>
 * <li>{@code exp} present, not past, and at most 5 minutes ahead; {@code jti} present (its single
 * use is {@link UsedJtis}' job); {@code nbf}, when present, passed.</li>
 * </ul>
 * Clocks may disagree by {@value #SKEW_SECONDS} seconds. Every failure is {@code invalid_client}
 * (RFC 7523 section 3.2), with a description that says what to fix and repeats nothing sent.
 */
@ApplicationScoped
public class ClientAssertions {
    static final int SKEW_SECONDS = 30;
    /** SMART: an assertion's exp is at most five minutes in the future. */
    static final int MAX_LIFETIME_SECONDS = 300;
    /** Far more than an RS384 assertion needs (about 700 characters with a 4096-bit key). */
    static final int MAX_LENGTH = 8192;
    static final int MAX_JTI_LENGTH = 255;
    private static final Set<String> ALGORITHMS = Set.of(AlgorithmIdentifiers.RSA_USING_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384);
    private static final List<String> KEY_SOURCE_HEADERS = List.of("jku", "x5u", "jwk", "x5c");

    /** What a verified assertion says: the client, and its jti with the time it expires (epoch seconds). */
    record Verified(SystemClient client, String jti, long expiresAt) {
    }

    /** The first pass: reads the assertion without checking anything. */
    private final JwtConsumer unverified = new JwtConsumerBuilder()
            .setSkipAllValidators()
            .setDisableRequireSignature()
            .setSkipSignatureVerification()
            .build();

    Verified verify(String assertion) {
        if (assertion.length() > MAX_LENGTH) {
            throw OAuthError.invalidClient("The client assertion is too long.");
        }
        JwtContext context;
        try {
            context = unverified.process(assertion);
        } catch (InvalidJwtException e) {
            throw OAuthError.invalidClient("The client assertion is not a signed JWT.");
        }
        List<JsonWebStructure> parts = context.getJoseObjects();
        if (parts.size() != 1 || !(parts.get(0) instanceof JsonWebSignature jws)) {
            throw OAuthError.invalidClient("The client assertion must be a signed JWT (a JWS), not encrypted or nested.");
        }
        String alg = jws.getAlgorithmHeaderValue();
        if (alg == null || !ALGORITHMS.contains(alg)) {
            throw OAuthError.invalidClient("The client assertion must be signed with RS384 or ES384.");
        }
        for (String header : KEY_SOURCE_HEADERS) {
            if (jws.getHeaders().getObjectHeaderValue(header) != null) {
                throw OAuthError.invalidClient("Keys are taken from the client's registration only: the assertion must"
                        + " not carry a " + header + " header.");
            }
        }
        String kid = jws.getKeyIdHeaderValue();
        if (kid == null || kid.isEmpty()) {
            throw OAuthError.invalidClient("The client assertion's header must name its key (kid).");
        }
        String clientId = issuer(context.getJwtClaims());
        SystemClient client = SystemClient.byClientId(clientId).filter(c -> c.revokedAt == null)
                .orElseThrow(() -> OAuthError.invalidClient("Unknown or revoked client: iss must be a registered clientId."));
        String audience = TokenEndpoint.url().orElseThrow(() -> OAuthError.invalidClient("The token endpoint's URL is not"
                + " configured (HEALTHCARE_TOKEN_URL or HEALTHCARE_PUBLIC_URL), so no assertion can name it.", client));
        PublicJsonWebKey key = Jwks.verifier(client.jwks, kid, alg).orElseThrow(() -> OAuthError.invalidClient(
                "No registered key of this client has this kid for " + alg + ".", client));
        JwtClaims claims = verified(context, key, alg, clientId, audience, client);
        long now = System.currentTimeMillis() / 1000;
        long exp;
        String jti;
        try {
            exp = claims.getExpirationTime().getValue();
            jti = claims.getJwtId();
        } catch (MalformedClaimException e) {
            throw OAuthError.invalidClient("The client assertion's exp or jti is malformed.", client);
        }
        if (exp > now + MAX_LIFETIME_SECONDS + SKEW_SECONDS) {
            throw OAuthError.invalidClient("The client assertion's exp must be at most 5 minutes ahead.", client);
        }
        if (jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
            throw OAuthError.invalidClient("The client assertion's jti must be 1 to " + MAX_JTI_LENGTH + " characters.", client);
        }
        return new Verified(client, jti, exp);
    }

    /** The second pass: the signature with the client's key, then iss, sub, aud, exp, nbf and jti. */
    private static JwtClaims verified(JwtContext context, PublicJsonWebKey key, String alg, String clientId, String audience,
            SystemClient client) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKey(key.getPublicKey())
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, alg))
                .setExpectedIssuer(clientId)
                .setExpectedSubject(clientId)
                .setExpectedAudience(audience)
                .setRequireExpirationTime()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds(SKEW_SECONDS)
                .build();
        try {
            consumer.processContext(context);
            return context.getJwtClaims();
        } catch (InvalidJwtException e) {
            throw OAuthError.invalidClient(why(e), client);
        }
    }

    private static String why(InvalidJwtException e) {
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "The client assertion's signature does not verify with the client's registered key.";
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRED)) {
            return "The client assertion has expired.";
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return "The client assertion must have an exp.";
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return "The client assertion's aud must be this token endpoint's URL.";
        }
        if (e.hasErrorCode(ErrorCodes.SUBJECT_INVALID) || e.hasErrorCode(ErrorCodes.SUBJECT_MISSING)) {
            return "The client assertion's sub must be its iss, the clientId.";
        }
        if (e.hasErrorCode(ErrorCodes.JWT_ID_MISSING)) {
            return "The client assertion must have a jti.";
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return "The client assertion is not valid yet (nbf).";
        }
        return "The client assertion is not valid.";
    }

    private static String issuer(JwtClaims claims) {
        try {
            String iss = claims.getIssuer();
            if (iss == null || iss.isEmpty()) {
                throw OAuthError.invalidClient("The client assertion must name the client in iss (and sub).");
            }
            return iss;
        } catch (MalformedClaimException e) {
            throw OAuthError.invalidClient("The client assertion's iss must be a string: the clientId.");
        }
    }
}
