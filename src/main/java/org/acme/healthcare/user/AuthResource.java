package org.acme.healthcare.user;


import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.Paged;
import org.acme.healthcare.ops.PublicUrl;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.openapi.ApiApplication;
import org.acme.healthcare.user.Session.EndReason;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.vertx.core.http.HttpServerRequest;

@Path("/api/auth")
@Tag(name = "Authentication", description = "Register, log in, sessions, and who am I")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {
    @Inject
    AuthService auth;

    @Inject
    SessionService sessions;

    @Inject
    CurrentUser caller;

    @POST
    @Path("/register")
    @PermitAll
    @Operation(summary = "Register an account", description = "Creates a user with role `user`. The email is compared after"
            + " Unicode NFKC normalisation, trimming and lower-casing. Unknown fields (a `role`, say) are ignored."
            + " Registrations are limited per client (429).")
    @APIResponse(responseCode = "201", description = "The new user; `Location: /api/auth/me`",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserResponse.class)))
    @APIResponse(responseCode = "409", ref = ApiApplication.CONFLICT, description = "An account with this email exists")
    @APIResponse(responseCode = "429", ref = ApiApplication.TOO_MANY_REQUESTS)
    public Response register(@NotNull @Valid RegisterRequest body, @Context HttpServerRequest request) {
        User user = auth.register(body, clientAddress(request));
        return Response.status(Response.Status.CREATED).header(HttpHeaders.LOCATION, PublicUrl.of("/api/auth/me"))
                .entity(UserResponse.from(user)).build();
    }

    @POST
    @Path("/login")
    @PermitAll
    @Operation(summary = "Log in", description = "Starts a session: an access token (naming the session in `sid`) and a"
            + " refresh token. An unknown email, a wrong password and a disabled account get the same 401 after the same work.")
    @APIResponse(responseCode = "200", description = "The session's tokens and the user",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LoginResponse.class)))
    @APIResponse(responseCode = "401", ref = ApiApplication.UNAUTHORIZED, description = "Wrong email or password")
    @APIResponse(responseCode = "429", ref = ApiApplication.TOO_MANY_REQUESTS)
    public LoginResponse login(@NotNull @Valid LoginRequest body, @Context HttpServerRequest request) {
        return auth.login(body, request.getHeader(HttpHeaders.USER_AGENT), clientAddress(request));
    }

    @POST
    @Path("/refresh")
    @PermitAll
    @Operation(summary = "Refresh a session", description = "Spends the refresh token and returns a new access token and a new"
            + " refresh token in the same session. A refresh token works once: presented again, it ends the whole session.")
    @APIResponse(responseCode = "200", description = "The session's next tokens",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LoginResponse.class)))
    @APIResponse(responseCode = "401", ref = ApiApplication.UNAUTHORIZED,
            description = "Unknown, expired or already used refresh token, ended session or disabled account")
    public LoginResponse refresh(@NotNull @Valid RefreshRequest body) {
        return sessions.refresh(body.refreshToken());
    }

    @POST
    @Path("/logout")
    @Consumes(MediaType.WILDCARD) // no body: whatever Content-Type a client sends with none
    @RolesAllowed({ Roles.USER, Roles.ADMIN })
    @Operation(summary = "Log out", description = "Ends the caller's session: its access and refresh tokens stop working.")
    @APIResponse(responseCode = "204", description = "The session has ended")
    public void logout() {
        sessions.end(caller.sessionId(), caller.id(), EndReason.LOGOUT);
    }

    @GET
    @Path("/sessions")
    @RolesAllowed({ Roles.USER, Roles.ADMIN })
    @Operation(summary = "The caller's live sessions", description = "Most recently used first; `current` marks the session of"
            + " the token that asks. Paging metadata in `X-Total-Count` and `Link`.")
    @APIResponse(responseCode = "200", description = "A page of sessions",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = SessionResponse.class)))
    public Response listSessions(@Valid @BeanParam PageParams page, @Context UriInfo uri) {
        long userId = caller.id();
        Long current = caller.sessionId();
        Session.Limits limits = sessions.limits();
        return Paged.response(Session.liveOf(userId, limits, page).stream().map(s -> SessionResponse.from(s, current, limits)).toList(),
                Session.countLiveOf(userId, limits), page, uri);
    }

    @DELETE
    @Path("/sessions/{id}")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.USER, Roles.ADMIN })
    @Operation(summary = "End one of the caller's sessions", description = "Its access and refresh tokens stop working.")
    @APIResponse(responseCode = "204", description = "The session has ended")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = "No live session of the caller has this id")
    public void endSession(@PathParam("id") long id) {
        if (!sessions.end(id, caller.id(), EndReason.REVOKED)) {
            throw ApiException.notFound("Session");
        }
    }

    @POST
    @Path("/password")
    @RolesAllowed({ Roles.USER, Roles.ADMIN })
    @Operation(summary = "Change the caller's password", description = "Ends every other session of the account. A wrong"
            + " current password is a 403 and counts as a failed login.")
    @APIResponse(responseCode = "204", description = "Changed")
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "The current password is wrong")
    @APIResponse(responseCode = "429", ref = ApiApplication.TOO_MANY_REQUESTS)
    public void changePassword(@NotNull @Valid PasswordChangeRequest body, @Context HttpServerRequest request) {
        auth.changePassword(caller.id(), caller.sessionId(), body, clientAddress(request));
    }

    @GET
    @Path("/me")
    @RolesAllowed({ Roles.USER, Roles.ADMIN })
    @Operation(summary = "The caller's account")
    @APIResponse(responseCode = "200", description = "The caller",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserResponse.class)))
    public UserResponse me() {
        User user = User.findById(caller.id());
        if (user == null) {
            throw ApiException.unauthorized("The account behind this token no longer exists.");
        }
        return UserResponse.from(user);
    }

    private static String clientAddress(HttpServerRequest request) {
        return request.remoteAddress().hostAddress();
    }
}
