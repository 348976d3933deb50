package org.acme.healthcare.common;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.exception.ConstraintViolationException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A database constraint fired (the backstop behind validation): the client error its name says (DatabaseConstraints). */
public class DatabaseConstraintMapper {
    @ServerExceptionMapper
    public Response map(ConstraintViolationException e, UriInfo uri) {
        return response(e, uri.getPath());
    }

    static Response response(ConstraintViolationException e, String path) {
        return ApiExceptionMapper.response(DatabaseConstraints.toApiException(e.getConstraintName(), e.getSQLState()), path);
    }
}
