package org.acme.healthcare.ops;

import java.util.Set;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

/**
 * HTTP server metrics carry route templates only ({@code /api/patients/{id}}). A request that
 * no route took has no template, and Quarkus would tag it with the raw path, public text of the
 * client's choosing: a few hundred junk paths fill Micrometer's tag cap, and from then on the
 * metrics of real routes are dropped. So every such request shares one label:
 * <ul>
 * <li>an unknown path (404) is {@code NOT_FOUND}, as Quarkus tags it;</li>
 * <li>any other refusal without a route (401 for a bad token on an unknown path, 413, the HTTP
 * codec's 400/414/431: see {@code http/HttpCodecProblems}) is {@value #UNMATCHED}: {@link #install}
 * gives the request that template just before its headers go out, which Quarkus' metrics read
 * when the response ends;</li>
 * <li>405 (no method for this path) is {@value #UNMATCHED} too, whatever Quarkus found.</li>
 * </ul>
 * Operations routes of a fixed path ({@code /q/health/ready} answering 503) keep their path.
 */
@Singleton
public class MetricTags implements MeterFilter {
    public static final String UNMATCHED = "UNMATCHED";
    /** The context key Quarkus' HTTP metrics read the route template from. */
    public static final String URL_PATH_TEMPLATE = "UrlPathTemplate";
    private static final Set<String> UNROUTED = Set.of("405", "413", "414", "431");

    void install(@Observes Router router) {
        router.route().order(RequestId.ORDER - 2).handler(ctx -> {
            Context context = Vertx.currentContext();
            ctx.addHeadersEndHandler(v -> {
                int status = ctx.response().getStatusCode();
                if (context == null || status < 400 || status == 404
                        || context.getLocal(URL_PATH_TEMPLATE) != null) {
                    return;
                }
                Route route = ctx.currentRoute();
                if (route == null || route.getPath() == null) {
                    context.putLocal(URL_PATH_TEMPLATE, UNMATCHED);
                }
            });
            ctx.next();
        });
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith("http.server.")) {
            return id;
        }
        String status = id.getTag("status");
        String uri = id.getTag("uri");
        if (status == null || uri == null || uri.equals(UNMATCHED)) {
            return id;
        }
        // Quarkus writes a template as a path: UNMATCHED comes back as /UNMATCHED.
        if (!UNROUTED.contains(status) && !uri.equals("/" + UNMATCHED)) {
            return id;
        }
        Tags tags = Tags.empty();
        for (Tag tag : id.getTagsAsIterable()) {
            tags = tags.and("uri".equals(tag.getKey()) ? Tag.of("uri", UNMATCHED) : tag);
        }
        return id.replaceTags(tags);
    }
}
