package org.acme.healthcare.ops;

import java.net.URI;
import java.util.Optional;

import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.ops.OperationsConfig;
import org.eclipse.microprofile.config.ConfigProvider;

import io.smallrye.config.SmallRyeConfig;

/**
 * Absolute URLs ({@code Location}, {@code Link}) start from the configured public base URL
 * ({@code HEALTHCARE_PUBLIC_URL}, e.g. {@code https://api.example.com}), else they are relative
 * to the host ({@code /api/patients/7}). Never from the request's {@code Host} header, which the
 * client chooses: a forged one would otherwise be echoed into links other clients follow. The FHIR
 * view's Bundle links and fullUrls start from the same base ({@link OperationsConfig#publicUrl()},
 * read here statically since links are built in static helpers such as {@link Paged}).
 */
public final class PublicUrl {
    private static volatile Optional<String> base;

    private PublicUrl() {
    }

    /** {@code path} (starting with {@code /}) under the public base URL, or as it is. */
    public static URI of(String path) {
        return URI.create(base().map(b -> b + path).orElse(path));
    }

    /** The request's own path and query (never its host), to change a query parameter of. */
    public static UriBuilder request(UriInfo uri) {
        URI request = uri.getRequestUri();
        UriBuilder builder = UriBuilder.fromPath(request.getRawPath());
        if (request.getRawQuery() != null) {
            builder.replaceQuery(request.getRawQuery());
        }
        return builder;
    }

    /** A request-relative builder's result under the public base URL. */
    public static String of(UriBuilder relative) {
        return base().orElse("") + relative.build().toString();
    }

    /** The configured public base URL without a trailing slash; empty when unset (then URLs are host-relative). */
    public static Optional<String> base() {
        Optional<String> b = base;
        if (b == null) {
            b = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(OperationsConfig.class).publicUrl()
                    .map(u -> u.toString().strip()).filter(s -> !s.isEmpty())
                    .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
            base = b;
        }
        return b;
    }
}
