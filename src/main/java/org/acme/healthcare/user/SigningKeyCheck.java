package org.acme.healthcare.user;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.auth.principal.JWTParser;

/**
 * Refuses to start without token keys. In production SmallRye JWT would start without them and
 * then fail every login; here the service stops at once and names what is missing. It also
 * signs and verifies one token, so a private key that does not match the public key is caught
 * before the first user is.
 */
@ApplicationScoped
public class SigningKeyCheck {
    private final Config config;
    private final TokenIssuer tokens;
    private final JWTParser parser;

    SigningKeyCheck(Config config, TokenIssuer tokens, JWTParser parser) {
        this.config = config;
        this.tokens = tokens;
        this.parser = parser;
    }

    void onStart(@Observes StartupEvent event) {
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            List<String> missing = new ArrayList<>();
            if (absent("smallrye.jwt.sign.key.location") && absent("smallrye.jwt.sign.key")) {
                missing.add("SMALLRYE_JWT_SIGN_KEY_LOCATION (the PEM private key that signs tokens)");
            }
            if (absent("mp.jwt.verify.publickey.location") && absent("mp.jwt.verify.publickey")) {
                missing.add("MP_JWT_VERIFY_PUBLICKEY_LOCATION (the PEM public key that verifies them)");
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("Token keys are not configured; set " + String.join(" and ", missing));
            }
        }
        User probe = new User();
        probe.id = 0L;
        probe.email = "startup-check@invalid";
        probe.role = "user";
        try {
            parser.parse(tokens.issue(probe, 0));
        } catch (Exception e) {
            throw new IllegalStateException("The token signing key and verification key do not work together: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private boolean absent(String name) {
        return config.getOptionalValue(name, String.class).filter(v -> !v.isBlank()).isEmpty();
    }
}
