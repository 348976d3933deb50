package org.acme.healthcare.user;


import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.acme.healthcare.common.PublicUrl;
import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.CurrentUser;
import org.acme.healthcare.common.OpenApiDocs;
import org.acme.healthcare.common.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.vertx.core.http.HttpServerRequest;

@Path("/api/auth")
@Tag(name = "Authentication", description = "Register, log in, and who am I")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {
    @Inject
    AuthService auth;

    @Inject
    CurrentUser caller;

    @POST
    @Path("/register")
    @PermitAll
    @Operation(summary = "Register an account", description = "Creates a user with role `user`. The email is trimmed and"
            + " compared case-insensitively. Unknown fields (a `role`, say) are ignored.")
    @APIResponse(responseCode = "201", description = "The new user; `Location: /api/auth/me`",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserResponse.class)))
    @APIResponse(responseCode = "400", ref = OpenApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "409", ref = OpenApiDocs.CONFLICT, description = "An account with this email exists")
    @APIResponse(responseCode = "415", ref = OpenApiDocs.UNSUPPORTED_MEDIA_TYPE)
    public Response register(@NotNull @Valid RegisterRequest body) {
        User user = auth.register(body);
        return Response.status(Response.Status.CREATED).header(HttpHeaders.LOCATION, PublicUrl.of("/api/auth/me"))
                .entity(UserResponse.from(user)).build();
    }

    @POST
    @Path("/login")
    @PermitAll
    @Operation(summary = "Log in", description = "Returns a bearer token. An unknown email and a wrong password get the"
            + " same 401 after the same work.")
    @APIResponse(responseCode = "200", description = "A token and the user",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LoginResponse.class)))
    @APIResponse(responseCode = "400", ref = OpenApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = OpenApiDocs.UNAUTHORIZED, description = "Wrong email or password")
    @APIResponse(responseCode = "429", ref = OpenApiDocs.TOO_MANY_REQUESTS)
    @APIResponse(responseCode = "415", ref = OpenApiDocs.UNSUPPORTED_MEDIA_TYPE)
    public LoginResponse login(@NotNull @Valid LoginRequest body, @Context HttpServerRequest request) {
        return auth.login(body, request.remoteAddress().hostAddress());
    }

    @GET
    @Path("/me")
    @RolesAllowed({ Roles.USER, Roles.ADMIN })
    @Operation(summary = "The caller's account")
    @APIResponse(responseCode = "200", description = "The caller",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserResponse.class)))
    @APIResponse(responseCode = "401", ref = OpenApiDocs.UNAUTHORIZED)
    public UserResponse me() {
        User user = User.findById(caller.id());
        if (user == null) {
            throw ApiException.unauthorized("The account behind this token no longer exists.");
        }
        return UserResponse.from(user);
    }
}
