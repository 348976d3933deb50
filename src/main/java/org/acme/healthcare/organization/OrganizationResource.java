package org.acme.healthcare.organization;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.groups.ConvertGroup;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.audit.AuditEvent;
import org.acme.healthcare.audit.AuditEventResponse;
import org.acme.healthcare.audit.AuditResource;
import org.acme.healthcare.common.Etags;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.Paged;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.json.RequestBodies.Patch.OnCreate;
import org.acme.healthcare.json.RequestBodies.Patch.OnUpdate;
import org.acme.healthcare.openapi.ApiApplication;
import org.acme.healthcare.patient.BreakGlassGrant;
import org.acme.healthcare.patient.BreakGlassResponse;
import org.acme.healthcare.patient.BreakGlassService;
import org.acme.healthcare.ops.PublicUrl;
import org.acme.healthcare.user.CurrentUser;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Organizations, their members, invitations and audit. Every route under {@code /{id}} is for its
 * members only: anyone else, a platform admin included, gets the 404 of an unknown organization.
 */
@Path("/api/organizations")
@Tag(name = "Organizations", description = "Clinics whose members share their patients: members, roles and invitations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class OrganizationResource {
    private static final String NOT_MEMBER = "No such organization, or the caller is not one of its members";

    @Inject
    OrganizationService organizations;

    @Inject
    BreakGlassService breakGlass;

    @Inject
    CurrentUser caller;

    @POST
    @Operation(summary = "Create an organization", description = "The caller becomes its first admin.")
    @APIResponse(responseCode = "201", description = "Created; `Location` names the new organization",
            headers = @Header(ref = ApiApplication.ETAG_HEADER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OrganizationResponse.class)))
    public Response create(@NotNull @Valid @ConvertGroup(to = OnCreate.class) OrganizationRequest body) {
        Organization.WithRole o = organizations.create(caller.id(), body);
        return Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, PublicUrl.of("/api/organizations/" + o.organization().id))
                .tag(Etags.of(o.organization().version))
                .entity(OrganizationResponse.from(o))
                .build();
    }

    @GET
    @Operation(summary = "List the caller's organizations", description = "Those the caller belongs to, oldest first, each"
            + " with the caller's `role`. The body is a plain array; paging metadata is in `X-Total-Count` and `Link`.")
    @APIResponse(responseCode = "200", description = "A page of organizations",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = OrganizationResponse.class)))
    public Response list(@Valid @BeanParam PageParams page, @Context UriInfo uri) {
        long me = caller.id();
        var items = organizations.list(me, page).stream().map(OrganizationResponse::from).toList();
        return Paged.response(items, Organization.countOf(me), page, uri);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read an organization", description = "Members only; with the caller's `role`.")
    @APIResponse(responseCode = "200", description = "The organization", headers = @Header(ref = ApiApplication.ETAG_HEADER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OrganizationResponse.class)))
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = NOT_MEMBER)
    public Response get(@PathParam("id") @Min(1) long id) {
        Organization.WithRole o = organizations.read(id, caller.id());
        return Response.ok(OrganizationResponse.from(o)).tag(Etags.of(o.organization().version)).build();
    }

    @PATCH
    @Path("/{id}")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @Operation(summary = "Rename an organization", description = "Its admins only. An absent `name` stays as it is. With"
            + " `If-Match`, a stale version is 412 and nothing changes.")
    @APIResponse(responseCode = "200", description = "The organization", headers = @Header(ref = ApiApplication.ETAG_HEADER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OrganizationResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member who is not one of its admins")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = NOT_MEMBER)
    @APIResponse(responseCode = "409", ref = ApiApplication.CONFLICT)
    @APIResponse(responseCode = "412", ref = ApiApplication.PRECONDITION_FAILED)
    public Response update(@PathParam("id") @Min(1) long id,
            @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(description = "ETag from a previous read") String ifMatch,
            @NotNull @Valid @ConvertGroup(to = OnUpdate.class) OrganizationRequest body) {
        Organization.WithRole o = organizations.update(id, caller.id(), ifMatch, body);
        return Response.ok(OrganizationResponse.from(o)).tag(Etags.of(o.organization().version)).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an organization", description = "Its admins only. Refused while it holds patients (409);"
            + " its memberships and invitations go with it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member who is not one of its admins")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = NOT_MEMBER)
    @APIResponse(responseCode = "409", ref = ApiApplication.CONFLICT, description = "It still holds patients")
    @APIResponse(responseCode = "412", ref = ApiApplication.PRECONDITION_FAILED)
    public Response delete(@PathParam("id") @Min(1) long id,
            @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(description = "ETag from a previous read") String ifMatch) {
        organizations.delete(id, caller.id(), ifMatch);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/invitations")
    @Operation(summary = "Invite someone", description = "Its admins only. The answer's `code` is shown once: hand it to the"
            + " person invited, who joins with `POST /api/invitations/accept`. Valid once, until `expiresAt`"
            + " (`HEALTHCARE_INVITATION_LIFETIME`, default 7 days). Nobody is added without accepting.")
    @APIResponse(responseCode = "201", description = "The invitation and its code",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InvitationResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member who is not one of its admins")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = NOT_MEMBER)
    public Response invite(@PathParam("id") @Min(1) long id, @NotNull @Valid InvitationRequest body) {
        var issued = organizations.invite(id, caller.id(), body.role());
        return Response.status(Response.Status.CREATED).entity(InvitationResponse.from(issued)).build();
    }

    @GET
    @Path("/{id}/members")
    @Operation(summary = "List the members", description = "Members only; in the order they joined. Paging metadata is in"
            + " `X-Total-Count` and `Link`.")
    @APIResponse(responseCode = "200", description = "A page of members",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = MemberResponse.class)))
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = NOT_MEMBER)
    public Response members(@PathParam("id") @Min(1) long id, @Valid @BeanParam PageParams page, @Context UriInfo uri) {
        var items = organizations.members(id, caller.id(), page).stream().map(MemberResponse::from).toList();
        return Paged.response(items, Membership.countMembers(id), page, uri);
    }

    @PATCH
    @Path("/{id}/members/{userId}")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @Operation(summary = "Change a member's role", description = "Its admins only; takes effect at once. The last admin"
            + " cannot be demoted (409).")
    @APIResponse(responseCode = "200", description = "The member",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MemberResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member who is not one of its admins")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = NOT_MEMBER + "; or no such member")
    @APIResponse(responseCode = "409", ref = ApiApplication.CONFLICT, description = "That would leave the organization without an admin")
    public MemberResponse changeRole(@PathParam("id") @Min(1) long id, @PathParam("userId") @Min(1) long userId,
            @NotNull @Valid RoleChangeRequest body) {
        return MemberResponse.from(organizations.changeRole(id, caller.id(), userId, body.role()));
    }

    @DELETE
    @Path("/{id}/members/{userId}")
    @Operation(summary = "Remove a member, or leave", description = "An admin removes any member; a member removes itself"
            + " (leaves). Takes effect at once. The last admin can be neither removed nor leave (409).")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member who is not one of its admins, removing someone else")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = NOT_MEMBER + "; or no such member")
    @APIResponse(responseCode = "409", ref = ApiApplication.CONFLICT, description = "That would leave the organization without an admin")
    public Response removeMember(@PathParam("id") @Min(1) long id, @PathParam("userId") @Min(1) long userId) {
        organizations.remove(id, caller.id(), userId);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/audit")
    @Operation(summary = "Read the organization's audit trail", description = "Its admins only: every audit event that went"
            + " through the organization (its patients, memberships, invitations), newest first, with the filters of"
            + " `GET /api/audit`. Paging metadata is in `X-Total-Count` and `Link`.")
    @APIResponse(responseCode = "200", description = "A page of audit events",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = AuditEventResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member who is not one of its admins")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = NOT_MEMBER)
    public Response audit(@PathParam("id") @Min(1) long id, @Valid @BeanParam PageParams page,
            @QueryParam("actor") @Min(1) @Parameter(description = "User id of the caller") Long actor,
            @QueryParam("recordType") @Pattern(regexp = AuditResource.RECORD_TYPES, message = "must be patient, mapping, user, session, organization or client")
            @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = { "patient", "mapping", "user", "session", "organization", "client" }))
            String recordType,
            @QueryParam("recordId") @Min(1) @Parameter(description = "Events about this record, including the lists and"
                    + " searches that returned it") Long recordId,
            @QueryParam("from") @Parameter(description = "ISO-8601 instant, inclusive", example = "2026-11-21T00:00:00Z") String from,
            @QueryParam("to") @Parameter(description = "ISO-8601 instant, exclusive", example = "2026-11-22T00:00:00Z") String to,
            @Context UriInfo uri) {
        var filter = new AuditEvent.Filter(actor, recordType, recordId, AuditResource.instant("from", from), AuditResource.instant("to", to));
        AuditEvent.Page result = organizations.audit(id, caller.id(), filter, page);
        return Paged.response(result.items().stream().map(AuditEventResponse::from).toList(), result.total(), page, uri);
    }

    @GET
    @Path("/{id}/break-glass")
    @Operation(summary = "Review break-glass grants", description = "The organization's break-glass grants, newest first,"
            + " with who, on which patient, why and until when. Organization admins only. Paging metadata is in"
            + " `X-Total-Count` and `Link`.")
    @APIResponse(responseCode = "200", description = "A page of grants",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = BreakGlassResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member who is not an admin of the organization")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = "No such organization, or the caller is not a member")
    public Response breakGlassGrants(@PathParam("id") @Min(1) long id, @Valid @BeanParam PageParams page, @Context UriInfo uri) {
        var items = breakGlass.review(id, caller.id(), page).stream().map(BreakGlassResponse::reviewed).toList();
        return Paged.response(items, BreakGlassGrant.countOfOrganization(id), page, uri);
    }
}
