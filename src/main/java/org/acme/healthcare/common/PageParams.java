package org.acme.healthcare.common;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * {@code ?page=0&size=50} on every list: page from 0, size 1 to 500. The highest page keeps
 * {@code page * size} (the row offset) within an {@code int} for every size, so no list, the
 * audit trail's included, can overflow into a negative or wrong offset.
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

    public int offset() {
        return page * size;
    }
}
