package org.acme.healthcare.common;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/**
 * {@code ?page=0&size=50} on every list: page from 0, size 1 to 500. The highest page keeps
 * {@code page * size} (the row offset) within an {@code int} for every size, so no list, the
 * audit trail's included, can overflow into a negative or wrong offset. Also the {@code ?sort=}
 * of the lists that have one, as a Panache {@link Sort}.
 */
public class PageParams {
    public static final int MAX_SIZE = 500;
    public static final int MAX_PAGE = Integer.MAX_VALUE / MAX_SIZE;

    @QueryParam("page")
    @DefaultValue("0")
    @Min(0)
    @Max(MAX_PAGE)
    @Parameter(description = "Page number, from 0", example = "0")
    public int page;

    @QueryParam("size")
    @DefaultValue("50")
    @Min(1)
    @Max(MAX_SIZE)
    @Parameter(description = "Page size, 1 to 500", example = "50")
    public int size;

    /** The values a list's {@code ?sort=} accepts; the default is {@code createdAt}. */
    public static final String SORTS = "name|createdAt|-createdAt";

    /** The Panache page these parameters ask for. */
    public Page toPage() {
        return Page.of(page, size);
    }

    /** The row offset, for the queries that are not Panache's (native SQL, Envers). */
    public int offset() {
        return page * size;
    }

    /**
     * {@code name} (case-insensitive), {@code createdAt} or {@code -createdAt}; the id breaks
     * ties (in the same direction) so that pages never overlap or skip a row.
     */
    public static Sort sort(String param) {
        if (param == null || param.isEmpty() || param.equals("createdAt")) {
            return Sort.ascending("createdAt").and("id");
        }
        if (param.equals("-createdAt")) {
            return Sort.descending("createdAt").and("id", Sort.Direction.Descending);
        }
        if (param.equals("name")) {
            // lower(...) is an expression, not a column name: Panache must not quote it.
            return Sort.ascending("lower(name)").and("id").disableEscaping();
        }
        throw ApiException.invalidField("sort", "must be one of name, createdAt, -createdAt");
    }
}
