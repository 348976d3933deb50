package org.acme.healthcare.client;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An organization's system clients (SMART Backend Services): its admins register, list and revoke
 * them. Other members get 403; anyone else the 404 of an unknown organization. Under the
 * organizations' own root path (its routes and these are one tree: a wrong method is a 405).
 */
@Path("/api/organizations")
@Tag(name = "System clients", description = "SMART Backend Services clients of an organization: registered with their"
        + " public keys, they get short read-only system tokens at POST /auth/token (docs/bulk-export.md)")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class ClientResource {
    private static final String NOT_MEMBER = "No such organization, or the caller is not one of its members";
    private static final String NOT_ADMIN = "A member who is not one of its admins";
    private static final String CLIENTS = "/{id}/clients";

    private final ClientService clients;
    private final CurrentUser caller;

    ClientResource(ClientService clients, CurrentUser caller) {
        this.clients = clients;
        this.caller = caller;
    }

    @POST
    @Path(CLIENTS)
    @Operation(summary = "Register a system client", description = "Its admins only. The client authenticates at"
            + " `POST /auth/token` with a JWT signed by one of these keys (RS384 or ES384) and gets tokens with at most"
            + " these scopes, which read the organization's patients (restricted ones included) and nothing else. No"
            + " `Location`: a client is listed, not read one by one.")
    @APIResponse(responseCode = "201", description = "Registered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClientResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = NOT_ADMIN)
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = NOT_MEMBER)
    public Response register(@PathParam("id") @Min(1) long id, @NotNull @Valid ClientRequest body) {
        SystemClient c = clients.register(id, caller.id(), body);
        return Response.status(Response.Status.CREATED).entity(ClientResponse.from(c)).build();
    }

    @GET
    @Path(CLIENTS)
    @Operation(summary = "List the system clients", description = "Its admins only: the clients that are not revoked,"
            + " oldest first. Paging metadata is in `X-Total-Count` and `Link`.")
    @APIResponse(responseCode = "200", description = "A page of clients",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ClientResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = NOT_ADMIN)
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = NOT_MEMBER)
    public Response list(@PathParam("id") @Min(1) long id, @Valid @BeanParam PageParams page, @Context UriInfo uri) {
        var items = clients.list(id, caller.id(), page).stream().map(ClientResponse::from).toList();
        return Paged.response(items, clients.count(id), page, uri);
    }

    @DELETE
    @Path(CLIENTS + "/{clientId}")
    @Operation(summary = "Revoke a system client", description = "Its admins only; for good. Its tokens stop working at"
            + " once on the replica that answers, within `HEALTHCARE_ACCOUNT_CACHE_TTL` on the others, and it reads no"
            + " patient anywhere once this has answered; its assertions are refused from now on.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = NOT_ADMIN)
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = NOT_MEMBER + "; or no such client"
            + " (or revoked already)")
    public Response revoke(@PathParam("id") @Min(1) long id,
            @PathParam("clientId") @Size(max = 64) @Parameter(description = "The client's `clientId`") String clientId) {
        clients.revoke(id, caller.id(), clientId);
        return Response.noContent().build();
    }
}
