package org.acme.healthcare.fhir;

import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.doctor.Doctor;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.Bundle;

/** FHIR {@code Practitioner}: the shared directory of doctors, read-only. */
@Path("/fhir/Practitioner")
@Tag(name = FhirOpenApi.TAG)
@Produces(Fhir.MEDIA_TYPE)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class FhirPractitionerResource {
    static final Set<String> SEARCH = Set.of("name");
    private final FhirQueries queries;

    FhirPractitionerResource(FhirQueries queries) {
        this.queries = queries;
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SYSTEM }) // a system token reads too, within its scopes (client/SystemScopeFilter)
    @Path("/{id}")
    @Operation(summary = "FHIR: read a Practitioner", description = "A doctor of the directory, with `ETag: W/\"<version>\"`.")
    @APIResponse(responseCode = "200", description = "The Practitioner", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "404", description = "No such doctor")
    public Response read(@PathParam("id") @Parameter(description = "The doctor's id",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[1-9][0-9]{0,18}$")) String id, @Context UriInfo uri) {
        FhirSearch.read(uri);
        Doctor d = Doctor.<Doctor> findByIdOptional(FhirSearch.id(id)).orElseThrow(() -> ApiException.notFound("Practitioner"));
        return FhirResponses.read(FhirMapper.practitioner(d), d.version);
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SYSTEM }) // a system token reads too, within its scopes (client/SystemScopeFilter)
    @Operation(summary = "FHIR: search Practitioners", description = "Doctors of the directory as a searchset Bundle;"
            + " `name` matches the start of the name or of any word in it, case-insensitively.")
    @APIResponse(responseCode = "200", description = "A searchset Bundle", ref = FhirOpenApi.RESOURCE)
    public Bundle search(
            @QueryParam("name") @Parameter(description = "Start of the name or of a word in it") String name,
            @QueryParam("_count") @Parameter(description = "Page size, 1 to 500 (default 50)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500")) String count,
            @QueryParam("_offset") @Parameter(description = "Where the page starts (from a `next` link)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) String offset,
            @Context UriInfo uri) {
        FhirSearch search = FhirSearch.parse(uri, "Practitioner", SEARCH);
        var page = queries.doctors(search.get("name"), search.offset, search.count);
        return FhirBundles.searchset("Practitioner", search, page.total(),
                page.items().stream().map(FhirMapper::practitioner).toList());
    }
}
