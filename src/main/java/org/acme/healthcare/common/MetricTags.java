package org.acme.healthcare.common;

import java.util.Set;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * HTTP server metrics carry route templates only ({@code /api/patients/{id}}). A request that
 * no resource method took (405: no method for this path; 413, 414, 431: refused before routing)
 * has no template, and Quarkus would tag it with the raw path, public text of the client's
 * choosing: 300 of them filled Micrometer's tag cap and new routes' metrics were dropped. They
 * share one bucket, {@value #UNMATCHED}, as unknown paths share {@code NOT_FOUND}.
 */
@Singleton
public class MetricTags implements MeterFilter {
    static final String UNMATCHED = "UNMATCHED";
    private static final Set<String> UNROUTED = Set.of("405", "413", "414", "431");

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith("http.server.")) {
            return id;
        }
        String status = id.getTag("status");
        String uri = id.getTag("uri");
        if (status == null || uri == null || !UNROUTED.contains(status) || uri.equals(UNMATCHED)) {
            return id;
        }
        Tags tags = Tags.empty();
        for (Tag tag : id.getTagsAsIterable()) {
            tags = tags.and("uri".equals(tag.getKey()) ? Tag.of("uri", UNMATCHED) : tag);
        }
        return id.replaceTags(tags);
    }
}
