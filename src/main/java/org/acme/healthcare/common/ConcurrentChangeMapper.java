package org.acme.healthcare.common;

import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.StaleStateException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Two writers of one record at once (its version moved under us): 409, read again and retry. */
public class ConcurrentChangeMapper {
    @ServerExceptionMapper({ OptimisticLockException.class, StaleStateException.class })
    public Response map(UriInfo uri) {
        return response(null, uri.getPath());
    }

    static Throwable find(Throwable e) {
        Throwable lock = ProblemTable.find(e, OptimisticLockException.class);
        return lock != null ? lock : ProblemTable.find(e, StaleStateException.class);
    }

    static Response response(Throwable ignored, String path) {
        return ProblemResponses.response(Problem.of(ProblemType.CONFLICT,
                "The record was changed by someone else at the same time. Read it again and retry.", path));
    }
}
