package org.acme.healthcare.export;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Problem;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.fhir.Fhir;
import org.acme.healthcare.fhir.FhirOpenApi;
import org.acme.healthcare.ops.PublicUrl;
import org.acme.healthcare.user.CurrentUser;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.OperationOutcome;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Bulk Data export's status URL: poll and cancel (its files: {@link ExportFileResource}). Only the caller who kicked the
 * export off may use them, with a token as good as the one it kicked off with; to anyone else, and
 * once it has expired or been cancelled, the job is a 404.
 */
@Path("/fhir/bulkstatus")
@Tag(name = FhirOpenApi.TAG)
// A system client's token too (SMART Backend Services): its scopes are checked per resource type here.
@RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SYSTEM })
public class ExportStatusResource {
    /** Seconds a client should wait before it polls again. */
    static final int RETRY_AFTER = 2;

    private final ExportService exports;
    private final CurrentUser user;
    private final ObjectMapper json;

    ExportStatusResource(ExportService exports, CurrentUser user, ObjectMapper json) {
        this.exports = exports;
        this.user = user;
        this.json = json;
    }

    @GET
    @Path("/{job}")
    @Produces({ MediaType.APPLICATION_JSON, Fhir.MEDIA_TYPE })
    @Operation(summary = "FHIR Bulk Data: an export's status", description = "While the export runs: 202 with `X-Progress`"
            + " and `Retry-After` (seconds). When it is done: 200 with the manifest (`transactionTime`, `request`,"
            + " `requiresAccessToken: true`, `output` files of `{type, url, count}`, `error` files of OperationOutcomes)"
            + " and `Expires`. Unknown, expired, cancelled or another caller's export: 404.")
    @APIResponse(responseCode = "200", description = "The manifest", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "202", description = "Still running")
    @APIResponse(responseCode = "404", description = ExportDocs.NOT_FOUND, ref = FhirOpenApi.ERROR)
    public Response status(@PathParam("job") @Parameter(description = ExportDocs.JOB_ID,
            schema = @Schema(type = SchemaType.STRING, pattern = ExportDocs.ID_PATTERN)) String job) {
        ExportService.Status status = exports.status(id(job), ExportCaller.of(user));
        ExportJob j = status.job();
        if (ExportJob.Status.FAILED.code().equals(j.status)) {
            throw new ApiException(Problem.Type.INTERNAL, "The export failed; start it again.");
        }
        if (!j.complete()) {
            String progress = j.leaseOwner == null && j.resources == 0 ? "queued" : "in progress: " + j.resources + " resources";
            return Response.accepted().header("X-Progress", progress).header("Retry-After", RETRY_AFTER).header("Date", now())
                    .build();
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("transactionTime", DateTimeFormatter.ISO_INSTANT.format(j.transactionTime));
        manifest.put("request", j.requestUrl);
        manifest.put("requiresAccessToken", true);
        List<Map<String, Object>> output = new ArrayList<>();
        List<Map<String, Object>> error = new ArrayList<>();
        for (ExportFiles.File f : status.files()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("type", f.type());
            item.put("url", PublicUrl.of(ExportFileResource.PATH + j.id + "/" + f.part()).toString());
            item.put("count", f.count());
            ("OperationOutcome".equals(f.type()) ? error : output).add(item);
        }
        manifest.put("output", output);
        manifest.put("error", error);
        try {
            return Response.ok(json.writeValueAsString(manifest)).type(MediaType.APPLICATION_JSON)
                    // Date beside Expires: a client compares the two rather than trust its own clock.
                    .header("Date", now())
                    .header("Expires", DateTimeFormatter.RFC_1123_DATE_TIME.format(j.expiresAt.atZone(ZoneOffset.UTC)))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("manifest", e);
        }
    }

    @DELETE
    @Path("/{job}")
    @Produces(Fhir.MEDIA_TYPE)
    @Operation(summary = "FHIR Bulk Data: cancel an export", description = "Cancels a running export, or, once it is"
            + " done, says its files may go: 202, and from then on its status and files are 404. Unknown, expired,"
            + " already cancelled or another caller's export: 404.")
    @APIResponse(responseCode = "202", description = "Cancelled", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "404", description = ExportDocs.NOT_FOUND, ref = FhirOpenApi.ERROR)
    public Response cancel(@PathParam("job") @Parameter(description = ExportDocs.JOB_ID,
            schema = @Schema(type = SchemaType.STRING, pattern = ExportDocs.ID_PATTERN)) String job) {
        exports.cancel(id(job), ExportCaller.of(user));
        OperationOutcome done = new OperationOutcome();
        done.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION).setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics("The export is cancelled and its files deleted.");
        return Response.accepted(done).type(Fhir.MEDIA_TYPE).build();
    }

    private static String now() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(ZoneOffset.UTC));
    }

    /** A job's id: a positive 64-bit number (as the REST API's ids); anything else is a 400. */
    static long id(String job) {
        return number(job, "The export's id must be a positive whole number.", true);
    }

    /** A whole number of a path: 400 when it is not one (or out of range), as the REST API's ids. */
    static long number(String value, String message, boolean positive) {
        if (value != null && value.matches(positive ? "[1-9][0-9]{0,18}" : "0|[1-9][0-9]{0,18}")) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                // beyond a long: below
            }
        }
        throw new ApiException(Problem.Type.MALFORMED, message);
    }
}
