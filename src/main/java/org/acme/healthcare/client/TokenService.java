package org.acme.healthcare.client;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.acme.healthcare.user.TokenIssuer;

/**
 * The token endpoint's rules (SMART Backend Services, RFC 7523): the request's parameters, then
 * the client assertion ({@link ClientAssertions}), then the scope (asked ∩ held, {@link
 * SmartScopes}), and only then the assertion's {@code jti} is spent ({@link UsedJtis}), so a request
 * refused for its scope leaves the assertion usable and a token is issued once per assertion, also
 * to requests racing each other. Every answer is audited ({@link ClientEvents}).
 */
@ApplicationScoped
public class TokenService {
    public static final String GRANT_TYPE = "client_credentials";
    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** A token issued: the token, its lifetime in seconds and the scope granted. */
    public record Issued(String accessToken, long expiresIn, String scope) {
    }

    private final ClientAssertions assertions;
    private final UsedJtis jtis;
    private final TokenIssuer issuer;
    private final ClientEvents events;
    private final long lifetimeSeconds;

    TokenService(ClientAssertions assertions, UsedJtis jtis, TokenIssuer issuer, ClientEvents events, ClientsConfig config) {
        this.assertions = assertions;
        this.jtis = jtis;
        this.issuer = issuer;
        this.events = events;
        this.lifetimeSeconds = Math.min(config.tokenLifetime().toSeconds(), ClientAssertions.MAX_LIFETIME_SECONDS);
    }

    /** A token for the form's client, or the {@link OAuthError} that says why not (audited either way). */
    @Transactional
    public Issued token(Map<String, String> form) {
        try {
            return issue(form);
        } catch (OAuthError e) {
            events.tokenRefused(e.client(), e.error(), e.getMessage());
            throw e;
        }
    }

    private Issued issue(Map<String, String> form) {
        String grantType = required(form, "grant_type");
        if (!GRANT_TYPE.equals(grantType)) {
            throw new OAuthError(OAuthError.UNSUPPORTED_GRANT_TYPE, "Only grant_type=client_credentials is supported.");
        }
        String assertionType = required(form, "client_assertion_type");
        if (!ASSERTION_TYPE.equals(assertionType)) {
            throw OAuthError.invalidClient("Clients authenticate with client_assertion_type=" + ASSERTION_TYPE + ".");
        }
        String assertion = required(form, "client_assertion");
        String asked = required(form, "scope");
        ClientAssertions.Verified verified = assertions.verify(assertion);
        SystemClient client = verified.client();
        String clientId = form.get("client_id");
        if (clientId != null && !clientId.equals(client.clientId)) {
            throw OAuthError.invalidClient("client_id, when sent, must be the assertion's iss.", client);
        }
        String scope;
        try {
            scope = SmartScopes.grant(asked, client.scope);
        } catch (SmartScopes.Invalid e) {
            throw new OAuthError(OAuthError.INVALID_SCOPE, e.getMessage(), client);
        }
        if (!jtis.spend(client.id, verified.jti(), verified.expiresAt())) {
            throw OAuthError.invalidClient("This client assertion has been used already: each jti is good for one token.",
                    client);
        }
        String token = issuer.issueSystem(client.clientId, scope, lifetimeSeconds);
        events.tokenIssued(client, scope);
        return new Issued(token, lifetimeSeconds, scope);
    }

    private static String required(Map<String, String> form, String name) {
        String value = form.get(name);
        if (value == null) {
            throw OAuthError.invalidRequest("The " + name + " parameter is required.");
        }
        return value;
    }
}
