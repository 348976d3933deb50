package org.acme.healthcare.user;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Older clients send the token as {@code x-access-token: <token>}. Setting
 * {@code mp.jwt.token.header} to that name would stop {@code Authorization: Bearer} from
 * working, so this copies the legacy header into {@code Authorization} before authentication
 * runs, when {@code Authorization} is absent. Both then go through the same verification.
 */
@ApplicationScoped
public class AccessTokenHeader {
    static final String LEGACY_HEADER = "x-access-token";
    /** Before Quarkus' authentication handlers (whose order is -200 and above). */
    static final int ORDER = -1_000;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(ctx -> {
            String legacy = ctx.request().getHeader(LEGACY_HEADER);
            if (legacy != null && !legacy.isBlank() && ctx.request().getHeader(HttpHeaders.AUTHORIZATION) == null) {
                String token = legacy.strip();
                if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    token = token.substring(7).strip();
                }
                ctx.request().headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
            }
            ctx.next();
        });
    }
}
