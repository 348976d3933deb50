package org.acme.healthcare.user;

import java.lang.reflect.Method;
import java.util.Arrays;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.acme.healthcare.common.Problem;
import org.acme.healthcare.common.Roles;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * A 403 on a route that only admins may use is audited ({@link SecurityEvents#adminActionRefused}):
 * an account probing admin routes shows in the trail. The route is named by its template
 * ({@code /api/users/{id}}), never the raw path a client sent.
 */
public class AdminRouteRefusals {
    private final SecurityEvents events;
    private final CurrentUser caller;

    AdminRouteRefusals(SecurityEvents events, CurrentUser caller) {
        this.events = events;
        this.caller = caller;
    }

    @ServerResponseFilter
    public void auditRefusal(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        if (response.getStatus() != 403 || resource == null || resource.getResourceMethod() == null) {
            return;
        }
        Method method = resource.getResourceMethod();
        Class<?> type = resource.getResourceClass();
        RolesAllowed roles = method.isAnnotationPresent(RolesAllowed.class) ? method.getAnnotation(RolesAllowed.class)
                : type.getAnnotation(RolesAllowed.class);
        if (roles == null || !Arrays.equals(roles.value(), new String[] { Roles.ADMIN })) {
            return;
        }
        // The matched route's template, as problem documents name it: never the raw path.
        events.adminActionRefused(caller.idOrNull(), request.getMethod(), Problem.instance(request.getUriInfo().getPath()));
    }
}
