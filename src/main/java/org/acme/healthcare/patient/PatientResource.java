package org.acme.healthcare.patient;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.validation.groups.ConvertGroup;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;

import org.acme.healthcare.audit.AuditResource;
import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Etags;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.Paged;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.json.RequestBodies.Patch.OnCreate;
import org.acme.healthcare.json.RequestBodies.Patch.OnUpdate;
import org.acme.healthcare.openapi.ApiApplication;
import org.acme.healthcare.ops.PublicUrl;
import org.acme.healthcare.user.CurrentUser;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/patients")
@Tag(name = "Patients", description = "Patient records: personal (owned by the user who created them) or an organization's")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class PatientResource {
    @Inject
    PatientService patients;

    @Inject
    PatientHistory history;

    @Inject
    BreakGlassService breakGlass;

    @Inject
    CurrentUser caller;

    @POST
    @Operation(summary = "Create a patient", description = "The owner is the caller; owner fields in the body are ignored.")
    @APIResponse(responseCode = "201", description = "Created; `Location` names the new patient",
            headers = @Header(ref = ApiApplication.ETAG_HEADER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PatientResponse.class)))
    public Response create(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PatientRequest.class), examples = {
                    @ExampleObject(name = "personal", summary = "A personal patient (only its owner sees it)",
                            value = "{\"name\": \"Jane Doe\", \"age\": 42, \"gender\": \"female\", \"phone\": \"+1 555 0100\","
                                    + " \"email\": \"jane@example.com\", \"disease\": \"Hypertension\"}"),
                    @ExampleObject(name = "organization", summary = "A patient of one of the caller's organizations (use its id)",
                            value = "{\"name\": \"Jane Doe\", \"organizationId\": 7, \"restricted\": false}") }))
            @NotNull @Valid @ConvertGroup(to = OnCreate.class) PatientRequest body,
            @Context UriInfo uri) {
        Patient p = patients.create(caller.id(), body);
        return Response.status(Response.Status.CREATED).header(HttpHeaders.LOCATION, PublicUrl.of("/api/patients/" + p.id))
                .tag(Etags.of(p.version))
                .entity(PatientResponse.from(p))
                .build();
    }

    @GET
    @Operation(summary = "List patients", description = "Every patient the caller may read: its personal ones and those of"
            + " each organization it belongs to (restricted ones only where it is their creator or the organization's admin;"
            + " a break-glass grant opens single reads, never lists). `organizationId` narrows to one organization;"
            + " `scope=all` lists every user's (admin only). The body is a plain array; paging metadata is in"
            + " `X-Total-Count` and `Link`. Audited with the ids returned, one event per organization.")
    @APIResponse(responseCode = "200", description = "A page of patients",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = PatientResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "`scope=all` without the admin role")
    public Response list(@Valid @BeanParam PageParams page,
            @QueryParam("q") @Size(max = 200) @Parameter(description = "Name contains (case-insensitive)") String q,
            @QueryParam("sort") @Pattern(regexp = PageParams.SORTS, message = "must be one of name, createdAt, -createdAt")
            @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = { "name", "createdAt", "-createdAt" }, defaultValue = "createdAt")) String sort,
            @QueryParam("scope") @Pattern(regexp = "mine|all", message = "must be mine or all")
            @Parameter(description = "`all` (admin only) lists every user's patients",
                    schema = @Schema(type = SchemaType.STRING, enumeration = { "mine", "all" }, defaultValue = "mine")) String scope,
            @QueryParam("organizationId") @Min(1) @Parameter(description = "Only the patients of this organization (the"
                    + " caller must be a member: else 404)") Long organizationId,
            @QueryParam("identifier") @Size(max = 356) @Parameter(description = "`system|value`, e.g."
                    + " `http://hospital.example.org/mrn|MRN-004211`: the patients with this identifier (at most one per"
                    + " organization, and one among the caller's personal patients)") String identifier,
            @Context UriInfo uri) {
        Identifier wanted = identifier == null ? null : identifierParam(identifier);
        boolean all = "all".equals(scope);
        if (all && !caller.isAdmin()) {
            throw patients.listAllDenied();
        }
        PatientAccess.Scope in = all ? new PatientAccess.Scope.Everyone() : new PatientAccess.Scope.Mine();
        if (organizationId != null && !all) {
            in = patients.organizationScope(organizationId, caller.id());
        }
        var items = patients.list(in, caller.id(), q, wanted, sort, page).stream().map(PatientResponse::from).toList();
        return Paged.response(items, patients.count(in, caller.id(), q, wanted), page, uri);
    }

    /** {@code system|value}, both parts as an identifier's rules require. */
    static Identifier identifierParam(String token) {
        int bar = token.indexOf('|');
        if (bar <= 0 || bar == token.length() - 1) {
            throw ApiException.invalidField("identifier", "must be system|value (an absolute URI, a bar, then the value)");
        }
        String system = token.substring(0, bar);
        String value = token.substring(bar + 1);
        if (!org.acme.healthcare.validation.AbsoluteUri.Validator.valid(system) || system.length() > 255) {
            throw ApiException.invalidField("identifier", "system must be an absolute URI of at most 255 characters");
        }
        if (!value.matches(Identifier.VISIBLE)) {
            throw ApiException.invalidField("identifier", "value must be 1 to 100 visible characters");
        }
        return new Identifier(system, value);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a patient", description = "Another user's patient, and another organization's, is 404, as if"
            + " it did not exist; an admin may read any that is not restricted. A restricted patient the caller may not read"
            + " is 403 (`type` ending in `break-glass-required`); under a live break-glass grant the read is audited with its reason.")
    @APIResponse(responseCode = "200", description = "The patient", headers = @Header(ref = ApiApplication.ETAG_HEADER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PatientResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A restricted record: break-glass required")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    public Response get(@PathParam("id") @Min(1) long id) {
        Patient p = patients.read(id, caller.id(), caller.isAdmin());
        return Response.ok(PatientResponse.from(p)).tag(Etags.of(p.version)).build();
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Update a patient", description = "Changes the fields present in the body; `null` clears an"
            + " optional field; `name` cannot be cleared. With `If-Match`, a stale version is 412 and nothing changes.")
    @APIResponse(responseCode = "200", description = "The updated patient", headers = @Header(ref = ApiApplication.ETAG_HEADER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PatientResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member of the patient's organization who may not change it (a reader, a restricted record)")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiApplication.CONFLICT)
    @APIResponse(responseCode = "412", ref = ApiApplication.PRECONDITION_FAILED)
    public Response update(@PathParam("id") @Min(1) long id,
            @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(description = "ETag from a previous read") String ifMatch,
            @NotNull @Valid @ConvertGroup(to = OnUpdate.class) PatientRequest body) {
        Patient p = patients.update(id, caller.id(), caller.isAdmin(), ifMatch, body);
        return Response.ok(PatientResponse.from(p)).tag(Etags.of(p.version)).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a patient", description = "Also deletes the patient's doctor assignments.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member of the patient's organization who may not change it (a reader, a restricted record)")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    @APIResponse(responseCode = "412", ref = ApiApplication.PRECONDITION_FAILED)
    public Response delete(@PathParam("id") @Min(1) long id,
            @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(description = "ETag from a previous read") String ifMatch) {
        patients.delete(id, caller.id(), caller.isAdmin(), ifMatch);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/history")
    @Operation(summary = "Read a patient's history", description = "Every revision of the record, newest first; it"
            + " outlives a delete (the newest revision is then the `delete`). Owner or admin; another user's history is"
            + " 404. Read like the record itself: audited as a read. Paging metadata is in `X-Total-Count` and `Link`.")
    @APIResponse(responseCode = "200", description = "A page of revisions",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = PatientRevisionResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A restricted record: break-glass required")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = "No such record, another user's, or erased")
    public Response history(@PathParam("id") @Min(1) long id, @Valid @BeanParam PageParams page, @Context UriInfo uri) {
        PatientHistory.Page revisions = history.list(id, caller.id(), caller.isAdmin(), page);
        return Paged.response(revisions.items(), revisions.total(), page, uri);
    }

    @GET
    @Path("/{id}/history/{version}")
    @Operation(summary = "Read one version of a patient", description = "The revision that made the record's"
            + " `version` this number; a delete is the version after the one it deleted. Owner or admin.")
    @APIResponse(responseCode = "200", description = "The revision",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PatientRevisionResponse.class)))
    @APIResponse(responseCode = "400", ref = ApiApplication.BAD_REQUEST, description = "The version is not a number of 0 or more")
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A restricted record: break-glass required")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = "No such record or version, another user's, or erased")
    public PatientRevisionResponse historyVersion(@PathParam("id") @Min(1) long id, @PathParam("version") @Min(0) long version) {
        return history.version(id, version, caller.id(), caller.isAdmin());
    }

    @DELETE
    @Path("/{id}/history")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Erase a patient record and its history", description = "For an erasure request: deletes the"
            + " record if it still exists (with its doctor assignments, each audited as a delete) and every revision of"
            + " it; afterwards the record and its history are 404 for everyone. The audit trail keeps its events (ids"
            + " only) and records the erasure as a `purge`, without content. Admin only.")
    @APIResponse(responseCode = "204", description = "Erased")
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "Not an admin")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = "No record and no history with this id")
    public Response eraseHistory(@PathParam("id") @Min(1) long id) {
        history.erase(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/break-glass")
    @Operation(summary = "Break the glass on a restricted patient", description = "Read access to a restricted patient for"
            + " `HEALTHCARE_BREAK_GLASS_LIFETIME` (default 60 minutes), never write access, for a member of its organization"
            + " (or a platform admin) who may not read it otherwise. The `reason` (10 to 500 characters) is audited with the"
            + " grant and with every read under it (`detail.breakGlass`, `detail.reason`), and the organization's admins"
            + " review the grants. A grant opens single reads (the record, its history, its doctors, FHIR), not lists.")
    @APIResponse(responseCode = "201", description = "Granted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BreakGlassResponse.class)))
    @APIResponse(responseCode = "400", ref = ApiApplication.BAD_REQUEST, description = "No reason, or one shorter than 10 or longer than 500 characters")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND, description = "No such patient, or not one of the caller's organizations")
    @APIResponse(responseCode = "409", ref = ApiApplication.CONFLICT, description = "Not restricted, or the caller can read it already")
    public Response breakGlass(@PathParam("id") @Min(1) long id, @NotNull @Valid BreakGlassRequest body) {
        BreakGlassGrant g = breakGlass.grant(id, caller.id(), caller.isAdmin(), body.reason());
        return Response.status(Response.Status.CREATED).entity(BreakGlassResponse.granted(g)).build();
    }

    @Inject
    AccessReport accessReport;

    @GET
    @Path("/{id}/access-report")
    @Produces({ MediaType.APPLICATION_JSON, AccessReport.CSV })
    @Operation(summary = "Who accessed a patient record", description = "The accounting of disclosures (HIPAA 45 CFR 164.528):"
            + " every read, list or search that returned the record, change, break-glass grant and read under it, FHIR read"
            + " (`via: fhir`) and, once Bulk Data export exists, export (`via: export`, actor `client` for a system client),"
            + " newest first, from the audit trail. For the record's owner, its organization's admins and platform admins:"
            + " another member of the organization gets 403, anyone else 404 as for an unknown record. Paged like the lists"
            + " (`X-Total-Count`, `Link`); `Accept: text/csv` gives the same page as CSV (RFC 4180, with a header line; a cell"
            + " that starts with `=`, `+`, `-` or `@` gets a leading `'`).")
    @APIResponse(responseCode = "200", description = "A page of accesses",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = { @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = AccessReportEntry.class)),
                    @Content(mediaType = AccessReport.CSV, schema = @Schema(type = SchemaType.STRING,
                            example = "at,actor_type,actor_id,actor_name,organization_id,action,via,break_glass,reason\r\n"
                                    + "2026-12-07T09:30:00Z,user,42,Dr. Ada Lovelace,3,read,rest,false,\r\n")) })
    @APIResponse(responseCode = "400", ref = ApiApplication.BAD_REQUEST, description = "`from` or `to` is not an ISO-8601"
            + " instant, or `from` is not before `to`")
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN, description = "A member of the record's organization"
            + " who is not its admin (nor the record's owner)")
    @APIResponse(responseCode = "404", ref = ApiApplication.NOT_FOUND)
    public Response accessReport(@PathParam("id") @Min(1) long id, @Valid @BeanParam PageParams page,
            @QueryParam("from") @Parameter(description = "ISO-8601 instant, inclusive", example = "2026-12-01T00:00:00Z") String from,
            @QueryParam("to") @Parameter(description = "ISO-8601 instant, exclusive", example = "2026-12-08T00:00:00Z") String to,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Instant start = AuditResource.instant("from", from);
        Instant end = AuditResource.instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ApiException.invalidField("to", "must be after from");
        }
        AccessReport.Page result = accessReport.report(id, caller.id(), caller.isAdmin(), start, end, page);
        Response paged = Paged.response(result.items(), result.total(), page, uri);
        if (!wantsCsv(headers)) {
            return paged;
        }
        return Response.fromResponse(paged).entity(AccessReport.csv(result.items()))
                .type(AccessReport.CSV + "; charset=UTF-8").build();
    }

    /** Text/csv when the client prefers it to JSON (the first acceptable type that is one of the two). */
    private static boolean wantsCsv(HttpHeaders headers) {
        for (MediaType t : headers.getAcceptableMediaTypes()) {
            if (t.isCompatible(MediaType.valueOf(AccessReport.CSV)) && !t.isWildcardType()) {
                return true;
            }
            if (t.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }
}
