package org.acme.healthcare.audit;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.vertx.core.http.HttpServerRequest;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.Paged;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.openapi.ApiApplication;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/audit")
@Tag(name = "Audit", description = "Who read or changed which patient record (admin only)")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class AuditResource {
    public static final String RECORD_TYPES = "patient|mapping|user|session|organization|client";

    @GET
    @Operation(summary = "Read the audit trail", description = "Newest first. Paging metadata is in `X-Total-Count` and `Link`.")
    @APIResponse(responseCode = "200", description = "A page of audit events",
            headers = { @Header(ref = ApiApplication.TOTAL_COUNT_HEADER), @Header(ref = ApiApplication.LINK_HEADER) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = AuditEventResponse.class)))
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN)
    public Response list(@Valid @BeanParam PageParams page,
            @QueryParam("actor") @Min(1) @Parameter(description = "User id of the caller") Long actor,
            @QueryParam("recordType") @Pattern(regexp = RECORD_TYPES, message = "must be patient, mapping, user, session, organization or client")
            @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = { "patient", "mapping", "user", "session", "organization", "client" }))
            String recordType,
            @QueryParam("recordId") @Min(1) @Parameter(description = "Events about this record, including the lists and"
                    + " searches that returned it") Long recordId,
            @QueryParam("from") @Parameter(description = "ISO-8601 instant, inclusive", example = "2026-11-21T00:00:00Z") String from,
            @QueryParam("to") @Parameter(description = "ISO-8601 instant, exclusive", example = "2026-11-22T00:00:00Z") String to,
            @Context UriInfo uri) {
        var filter = new AuditEvent.Filter(actor, recordType, recordId, instant("from", from), instant("to", to));
        AuditEvent.Page result = AuditEvent.search(filter, page);
        return Paged.response(result.items().stream().map(AuditEventResponse::from).toList(), result.total(), page, uri);
    }

    @Inject
    AuditVerifier verifier;

    @GET
    @Path("/verify")
    @Operation(summary = "Verify the audit trail's chain", description = "Recomputes every event's MAC and the hash chain"
            + " of the seals over the window (`from` inclusive, `to` exclusive; ISO-8601 instants; both optional) and names the"
            + " first event that was changed, deleted or inserted by hand. Streams the rows: long windows take time"
            + " (several hundred thousand events a second, seals recomputed in parallel). Events younger than a few seal intervals are `pending`, checked once sealed.")
    @APIResponse(responseCode = "200", description = "The verification; `verified: false` names the first broken event",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VerificationResponse.class)))
    @APIResponse(responseCode = "400", ref = ApiApplication.BAD_REQUEST, description = "`from` or `to` is not an ISO-8601 instant,"
            + " or `from` is not before `to`")
    @APIResponse(responseCode = "403", ref = ApiApplication.FORBIDDEN)
    public VerificationResponse verify(
            @QueryParam("from") @Parameter(description = "ISO-8601 instant, inclusive", example = "2026-12-01T00:00:00Z") String from,
            @QueryParam("to") @Parameter(description = "ISO-8601 instant, exclusive", example = "2026-12-08T00:00:00Z") String to,
            @Context HttpServerRequest request) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ApiException.invalidField("to", "must be after from");
        }
        try {
            // A client that goes away stops the verify (its workers and connections) within a second or a fetch.
            return VerificationResponse.from(verifier.verify(start, end, () -> request.response().closed()));
        } catch (SQLException e) {
            throw new ApiException.Unavailable("The audit trail cannot be read right now; try again later.");
        }
    }

    public static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.invalidField(field, "must be an ISO-8601 instant such as 2026-11-21T12:00:00Z");
        }
    }
}
