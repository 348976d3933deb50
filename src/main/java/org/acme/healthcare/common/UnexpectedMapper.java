package org.acme.healthcare.common;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The catch-all: an exception no typed mapper took. A known family wrapped inside it still
 * answers as itself ({@link ProblemTable#WRAPPED}, in the table's order); anything else is a 500
 * with only a correlation id.
 */
public class UnexpectedMapper {
    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        for (ProblemTable.Family<?> family : ProblemTable.WRAPPED) {
            Response known = family.answer(e, uri.getPath());
            if (known != null) {
                return known;
            }
        }
        return ProblemLog.internal(e, uri.getPath());
    }
}
