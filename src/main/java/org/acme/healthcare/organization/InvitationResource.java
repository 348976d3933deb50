package org.acme.healthcare.organization;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.acme.healthcare.common.Roles;
import org.acme.healthcare.openapi.ApiApplication;
import org.acme.healthcare.user.CurrentUser;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/invitations")
@Tag(name = "Organizations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class InvitationResource {
    @Inject
    OrganizationService organizations;

    @Inject
    CurrentUser caller;

    @POST
    @Path("/accept")
    @Operation(summary = "Accept an invitation", description = "The caller joins the invitation's organization with its role."
            + " A code works once: an unknown, used or expired code is the same 404. Already a member: 409, and the code"
            + " stays unused.")
    @APIResponse(responseCode = "200", description = "The caller's new membership",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MembershipResponse.class)))
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = "Unknown, used or expired code")
    @APIResponse(responseCode = "409", ref = ApiApplication.CONFLICT, description = "Already a member of that organization")
    public MembershipResponse accept(@NotNull @Valid AcceptRequest body) {
        return MembershipResponse.from(organizations.accept(caller.id(), body.code()));
    }
}
