package org.acme.healthcare.patient;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.Paged;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.openapi.ApiApplication;
import org.acme.healthcare.user.CurrentUser;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The organization admins' review of the break-glass grants on their restricted patients. */
@Path("/api/organizations/{id}/break-glass")
@Tag(name = "Organizations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class BreakGlassReviewResource {
    @Inject
    BreakGlassService breakGlass;

    @Inject
    CurrentUser caller;

    @GET
    @Operation(summary = "Review break-glass grants", description = "The organization's break-glass grants, newest first,"
            + " with who, on which patient, why and until when. Organization admins only. Paging metadata is in"
            + " `X-Total-Count` and `Link`.")
    @APIResponse(responseCode = "200", description = "A page of grants",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = BreakGlassResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member who is not an admin of the organization")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = "No such organization, or the caller is not a member")
    public Response review(@PathParam("id") @Min(1) long id, @Valid @BeanParam PageParams page, @Context UriInfo uri) {
        var items = breakGlass.review(id, caller.id(), page).stream().map(BreakGlassResponse::reviewed).toList();
        return Paged.response(items, BreakGlassGrant.countOfOrganization(id), page, uri);
    }
}
