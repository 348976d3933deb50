package org.acme.healthcare.common;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.ops.PublicUrl;

/**
 * A page of a list: the body stays a plain JSON array; the total goes in {@code X-Total-Count}
 * and the neighbours in an RFC 8288 {@code Link} header (first, prev, next, last).
 */
public final class Paged {
    public static final String TOTAL_COUNT = "X-Total-Count";

    private Paged() {
    }

    public static Response response(List<?> items, long total, PageParams params, UriInfo uri) {
        long lastPage = total == 0 ? 0 : (total - 1) / params.size;
        List<Link> links = new ArrayList<>();
        links.add(link(uri, 0, "first"));
        if (params.page > 0) {
            links.add(link(uri, Math.min(params.page - 1, lastPage), "prev"));
        }
        if (params.page < lastPage) {
            links.add(link(uri, params.page + 1, "next"));
        }
        links.add(link(uri, lastPage, "last"));
        // One Link field with comma-separated values: what fetch() and most clients read.
        return Response.ok(items)
                .header(TOTAL_COUNT, total)
                .header(HttpHeaders.LINK, String.join(", ", links.stream().map(Link::toString).toList()))
                .build();
    }

    private static Link link(UriInfo uri, long page, String rel) {
        // From the request's path and query, never its Host header (PublicUrl).
        return Link.fromUri(PublicUrl.of(PublicUrl.request(uri).replaceQueryParam("page", page))).rel(rel).build();
    }
}
