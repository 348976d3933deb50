package org.acme.healthcare.fhir;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.acme.healthcare.common.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.Bundle;

/** {@code POST /fhir}: a transaction or batch Bundle of Patient and Condition entries ({@link FhirTransactions}). */
@Path("/fhir")
@Tag(name = FhirOpenApi.TAG)
@Produces(Fhir.MEDIA_TYPE)
@RolesAllowed({ Roles.USER, Roles.ADMIN })
public class FhirTransactionResource {
    @Inject
    Fhir fhir;
    @Inject
    FhirTransactions transactions;

    @POST
    @Consumes({ Fhir.MEDIA_TYPE, MediaType.APPLICATION_JSON })
    @Operation(summary = "FHIR: transaction or batch", description = "A `transaction` Bundle is all or nothing: its entries"
            + " (POST, PUT, DELETE, GET of Patient and Condition) run in one database transaction, in FHIR's order (DELETE,"
            + " POST, PUT, GET), `urn:uuid:` fullUrls resolved in `Condition.subject`, `request.ifNoneExist` and"
            + " `request.ifMatch` honoured; the first entry that fails rolls it all back and the answer is that entry's"
            + " status with an OperationOutcome naming it (`Bundle.entry[3].resource.birthDate`). A `batch` Bundle runs each"
            + " entry on its own; the `batch-response` gives each entry's status, and an `outcome` for those refused. At"
            + " most 1,000 entries (more: 413). Each entry follows the rules, access and audit of the single write."
            + " `Prefer: return=representation` puts the resources in the answer (default: status, location, etag only).")
    @APIResponse(responseCode = "200", description = "A transaction-response or batch-response Bundle", ref = FhirOpenApi.RESOURCE)
    @APIResponse(responseCode = "403", description = "Transaction: an entry needs write access the caller has not", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "404", description = "Transaction: an entry names a record that does not exist or is another user's", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "409", description = "Transaction: an identifier another patient of the space has", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "412", description = "Transaction: a stale ifMatch, or an ifNoneExist matching several patients", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "413", description = "More than 1,000 entries, or a body over the size limit", ref = FhirOpenApi.ERROR)
    @APIResponse(responseCode = "422", description = "Transaction: an entry's resource breaks US Core or the record's rules", ref = FhirOpenApi.ERROR)
    public Response process(@RequestBody(content = @Content(mediaType = Fhir.MEDIA_TYPE, schema = @Schema(type =
            org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT), examples = @ExampleObject(name = "transaction",
                    summary = "A patient and a condition of hers, linked by urn:uuid", value = FhirOpenApi.TRANSACTION_EXAMPLE)))
            byte[] body,
            @HeaderParam("Prefer") @Parameter(description = "`return=representation` to have the resources in the answer") String prefer) {
        Bundle bundle = FhirInbound.parse(fhir, body, Bundle.class);
        return transactions.process(bundle, prefer != null && prefer.contains("return=representation"));
    }
}
