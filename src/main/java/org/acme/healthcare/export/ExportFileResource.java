package org.acme.healthcare.export;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.fhir.Fhir;
import org.acme.healthcare.fhir.FhirOpenApi;
import org.acme.healthcare.user.CurrentUser;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A Bulk Data export's files, as the manifest lists them: only for the caller who kicked the export off. */
@Path("/fhir/bulkfiles")
@Tag(name = FhirOpenApi.TAG)
// A system client's token too (SMART Backend Services): its scopes are checked per resource type here.
@RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SYSTEM })
public class ExportFileResource {
    static final String PATH = "/fhir/bulkfiles/";
    static final String NDJSON = "application/fhir+ndjson";

    private final ExportFiles files;
    private final CurrentUser user;

    ExportFileResource(ExportFiles files, CurrentUser user) {
        this.files = files;
        this.user = user;
    }

    @GET
    @Path("/{job}/{part}")
    @Produces({ NDJSON, Fhir.MEDIA_TYPE })
    @Operation(summary = "FHIR Bulk Data: download an export's file", description = "One file of the manifest, as"
            + " `application/fhir+ndjson` (one resource a line), streamed. With a token of the caller who kicked the"
            + " export off; anyone else's, or a file of an export not complete, expired or cancelled: 404.")
    @APIResponse(responseCode = "200", description = "The NDJSON", content = @Content(mediaType = NDJSON,
            schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "403", description = "A system token whose scopes do not read the file's resource type", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "404", description = "No such file (or not the caller's)", ref = FhirOpenApi.ERROR)
    public Response file(@PathParam("job") @Parameter(description = "The export's id",
            schema = @Schema(type = SchemaType.STRING, pattern = ExportDocs.ID_PATTERN)) String job,
            @PathParam("part") @Parameter(description = "The file's number in the export",
                    schema = @Schema(type = SchemaType.STRING, pattern = "^(0|[1-9][0-9]{0,18})$")) String part) {
        long id = ExportStatusResource.id(job);
        long file = ExportStatusResource.number(part, "The file's number must be a whole number.", false);
        if (file > Integer.MAX_VALUE) {
            throw ApiException.notFound("File");
        }
        return Response.ok(files.open(id, ExportCaller.of(user), (int) file)).type(NDJSON).build();
    }
}
