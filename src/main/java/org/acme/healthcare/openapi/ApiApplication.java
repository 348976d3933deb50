package org.acme.healthcare.openapi;

import jakarta.ws.rs.core.Application;

import org.acme.healthcare.common.Problem;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.ExternalDocumentation;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The JAX-RS application, and the OpenAPI definition it carries: the document's info and tag
 * order, and the components operations share (problem responses, paging and ETag headers),
 * which operations refer to by these names. {@link ApiDocumentFilter} adds the generic parts.
 */
@OpenAPIDefinition(
        info = @Info(title = "Healthcare API", version = "1.0.0",
                description = "Users, their patients' records, a shared directory of doctors, and patient-doctor"
                        + " assignments. Send the token from `POST /api/auth/login` as `Authorization: Bearer <token>`"
                        + " (or `x-access-token: <token>`). Every error is an RFC 9457 problem document"
                        + " (`application/problem+json`), including what the HTTP layer refuses before any operation"
                        + " runs: a request line over 4 KiB (414), headers over 20 KiB (431), a malformed request"
                        + " line, header or `Content-Length` (400). Every response carries `X-Frame-Options: DENY`,"
                        + " `Content-Security-Policy: frame-ancestors 'none'` and `X-Content-Type-Options: nosniff`;"
                        + " `Strict-Transport-Security` when the service runs with `HEALTHCARE_HSTS` on (the default in"
                        + " production)."),
        // The order Swagger UI shows them in: what a newcomer needs first (ApiDocumentFilter keeps it).
        tags = {
                @Tag(name = "Authentication", description = "Register, log in, sessions, and who am I"),
                @Tag(name = "Patients", description = "Patient records, owned by the user who created them"),
                @Tag(name = "Conditions", description = "A patient's problems, coded in ICD-10-CM or SNOMED CT (or as text): read by the"
                        + " patient's readers, changed by its writers, audited as accesses of the patient"),
                @Tag(name = "Doctors", description = "One shared directory of doctors"),
                @Tag(name = "Mappings", description = "Doctors assigned to patients"),
                @Tag(name = "Organizations", description = "Clinics whose members share their patients: members, roles and invitations"),
                @Tag(name = "FHIR", description = "A read-only FHIR R4 view of the same records (base `/fhir`,"
                        + " `application/fhir+json`); errors are OperationOutcome resources. The resources are FHIR's"
                        + " own, described at https://hl7.org/fhir/R4/ rather than copied here",
                        externalDocs = @ExternalDocumentation(description = "FHIR R4 resources", url = "https://hl7.org/fhir/R4/resourcelist.html")),
                @Tag(name = "Users", description = "Accounts (admin only)"),
                @Tag(name = "Audit", description = "Who read or changed which patient record (admin only)") },
        components = @Components(
                headers = {
                        @Header(name = ApiApplication.TOTAL_COUNT_HEADER, description = "Total number of items in the list",
                                schema = @Schema(type = SchemaType.INTEGER)),
                        @Header(name = ApiApplication.LINK_HEADER,
                                description = "RFC 8288 links to the first, prev, next and last pages",
                                schema = @Schema(type = SchemaType.STRING)),
                        @Header(name = ApiApplication.ETAG_HEADER, description = "Version of the record, for If-Match",
                                schema = @Schema(type = SchemaType.STRING)) },
                responses = {
                        @APIResponse(name = ApiApplication.BAD_REQUEST, responseCode = "400",
                                description = "Malformed JSON, wrong types, failed validation (with `errors`), or bad parameters",
                                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiApplication.UNAUTHORIZED, responseCode = "401",
                                description = "Missing, malformed, expired or wrongly signed token, or one whose session has ended"
                                        + " (one `WWW-Authenticate: Bearer` header)",
                                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiApplication.FORBIDDEN, responseCode = "403",
                                description = "Signed in but not allowed",
                                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiApplication.NOT_FOUND, responseCode = "404",
                                description = "No such record, or another user's record",
                                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiApplication.CONFLICT, responseCode = "409",
                                description = "Conflicts with an existing record or a concurrent change",
                                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiApplication.PRECONDITION_FAILED, responseCode = "412",
                                description = "`If-Match` does not match the current version; nothing was changed",
                                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiApplication.UNSUPPORTED_MEDIA_TYPE, responseCode = "415",
                                description = "The body is not application/json",
                                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiApplication.TOO_MANY_REQUESTS, responseCode = "429",
                                description = "Too many failed logins; retry after `Retry-After` seconds",
                                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))) }))
public class ApiApplication extends Application {
    public static final String BAD_REQUEST = "BadRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String NOT_FOUND = "NotFound";
    public static final String CONFLICT = "Conflict";
    public static final String PRECONDITION_FAILED = "PreconditionFailed";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    public static final String TOO_MANY_REQUESTS = "TooManyRequests";
    public static final String TOTAL_COUNT_HEADER = "X-Total-Count";
    public static final String LINK_HEADER = "Link";
    public static final String ETAG_HEADER = "ETag";
}
