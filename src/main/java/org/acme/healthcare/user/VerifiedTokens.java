package org.acme.healthcare.user;

import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * SmallRye JWT's parser with a memory of the tokens it has verified, so that a client sending
 * the same bearer token again does not pay the RSA signature check and the JSON parse again (the
 * largest cost of an authenticated request after the database).
 * <p>
 * What is remembered is the exact token string that passed every check of SmallRye's own parser (the superclass)
 * (signature, issuer, expiry, required claims), never a token that failed. An entry is dropped at
 * the token's {@code exp} (without the clock skew that parser allows: never longer than a fresh
 * check would accept it) and the cache holds at most {@link #MAX_TOKENS}. Only the signature
 * check is saved: {@link AccountStatusAugmentor} still runs on every request, so a token whose
 * session ended or whose account was disabled or deleted is refused as before.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens extends DefaultJWTParser {
    /** About 2–3 KB each (the token and its parsed claims): a few MB of a 96 MB heap at most. */
    static final int MAX_TOKENS = 2_000;

    private final Cache<String, JsonWebToken> verified = Caffeine.newBuilder()
            .maximumSize(MAX_TOKENS)
            .expireAfter(new Expiry<String, JsonWebToken>() {
                @Override
                public long expireAfterCreate(String token, JsonWebToken jwt, long now) {
                    return remainingNanos(jwt);
                }

                @Override
                public long expireAfterUpdate(String token, JsonWebToken jwt, long now, long current) {
                    return remainingNanos(jwt);
                }

                @Override
                public long expireAfterRead(String token, JsonWebToken jwt, long now, long current) {
                    return current;
                }
            })
            .build();

    private static long remainingNanos(JsonWebToken jwt) {
        long millis = jwt.getExpirationTime() * 1000 - System.currentTimeMillis();
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        // Looked up first: only a string that passed every check below is ever remembered, so the
        // very same string needs neither the form check nor the signature again.
        JsonWebToken known = verified.getIfPresent(token);
        if (known != null && known.getExpirationTime() * 1000 > System.currentTimeMillis()) {
            return known;
        }
        if (!isCanonical(token)) {
            throw new ParseException("token is not in the form the service issues");
        }
        JsonWebToken jwt = super.parse(token);
        if (jwt.getExpirationTime() * 1000 > System.currentTimeMillis()) {
            verified.put(token, jwt);
        }
        return jwt;
    }

    /**
     * True when the token is exactly three unpadded base64url parts, each the canonical encoding
     * of its bytes. The JOSE library decodes leniently (a {@code ==} appended, or other values in
     * the last character's unused bits, decode to the same bytes), so a token altered that way
     * would verify; only the string the service issued is accepted.
     */
    static boolean isCanonical(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || !BASE64URL.matcher(part).matches()) {
                return false;
            }
            try {
                byte[] bytes = Base64.getUrlDecoder().decode(part);
                if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part)) {
                    return false;
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");

    /** How many verified tokens are remembered (for tests). */
    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }
}
