package org.acme.healthcare.user;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/users")
@Tag(name = "Users", description = "Accounts (admin only)")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class UserResource {
    @Inject
    UserService users;

    @Inject
    CurrentUser caller;

    @GET
    @Operation(summary = "List accounts", description = "Oldest first. Paging metadata in `X-Total-Count` and `Link`.")
    @APIResponse(responseCode = "200", description = "A page of users",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = UserResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN)
    public Response list(@Valid @BeanParam PageParams page, @Context UriInfo uri) {
        return Paged.response(User.page(page).stream().map(UserResponse::from).toList(), User.count(), page, uri);
    }

    @PATCH
    @Path("/{id}")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @Operation(summary = "Change an account's role or disable it", description = "`{role}` promotes or demotes, `{disabled: true}`"
            + " disables (the account can no longer log in or refresh, and every session it has ends at once), `{disabled: false}`"
            + " enables again. The last active admin cannot be demoted or disabled (409). Audited as an `update` of a `user` record.")
    @APIResponse(responseCode = "200", description = "The updated user",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiApplication.CONFLICT, description = "That would leave no active admin")
    public UserResponse change(@PathParam("id") long id, @NotNull @Valid AccountChange body) {
        return UserResponse.from(users.change(id, body, caller.id()));
    }
}
