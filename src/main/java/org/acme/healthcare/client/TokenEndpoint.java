package org.acme.healthcare.client;

import java.util.Optional;

import org.acme.healthcare.ops.PublicUrl;
import org.eclipse.microprofile.config.ConfigProvider;

import io.smallrye.config.SmallRyeConfig;

/**
 * Where the token endpoint is, as clients must name it in their assertions' {@code aud}: the
 * configured {@code HEALTHCARE_TOKEN_URL}, else the public URL with {@code /auth/token}. Never the
 * request's {@code Host} header (ops/PublicUrl). Read statically, since the CapabilityStatement is
 * built in a static helper.
 */
public final class TokenEndpoint {
    public static final String PATH = "/auth/token";
    private static volatile Optional<String> url;

    private TokenEndpoint() {
    }

    /** The endpoint's absolute URL; empty when neither setting names it. */
    public static Optional<String> url() {
        Optional<String> u = url;
        if (u == null) {
            Optional<String> configured = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class)
                    .getConfigMapping(ClientsConfig.class).tokenUrl().map(x -> x.toString().strip()).filter(s -> !s.isEmpty());
            u = configured.isPresent() ? configured : PublicUrl.base().map(b -> b + PATH);
            url = u;
        }
        return u;
    }

    /** What discovery documents give as the endpoint: its absolute URL, else the host-relative path. */
    public static String advertised() {
        return url().orElse(PATH);
    }

    /**
     * The authorization endpoint beside it ({@link AuthorizeResource}, which only refuses), for
     * SMART's {@code oauth-uris} extension: the token URL with {@code /auth/authorize} for
     * {@code /auth/token}, else the host-relative path.
     */
    public static String advertisedAuthorize() {
        return url().filter(u -> u.endsWith(PATH)).map(u -> u.substring(0, u.length() - PATH.length()) + AuthorizeResource.PATH)
                .orElse(AuthorizeResource.PATH);
    }
}
