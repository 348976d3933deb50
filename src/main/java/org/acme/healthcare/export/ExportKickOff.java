package org.acme.healthcare.export;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Problem;
import org.acme.healthcare.fhir.Fhir;
import org.acme.healthcare.ops.PublicUrl;
import org.acme.healthcare.user.CurrentUser;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;

import ca.uhn.fhir.parser.DataFormatException;
import io.vertx.ext.web.RoutingContext;

/**
 * A kick-off at any of the three levels, by GET (query parameters) or POST (a FHIR
 * {@code Parameters} body): headers checked, parameters checked, the job recorded, 202 with the
 * status URL in {@code Content-Location}. Nothing is read but the caller's membership of a Group's
 * organization.
 */
@RequestScoped
public class ExportKickOff {
    static final String STATUS_PATH = "/fhir/bulkstatus/";

    private final ExportService exports;
    private final CurrentUser user;
    private final Fhir fhir;

    ExportKickOff(ExportService exports, CurrentUser user, Fhir fhir) {
        this.exports = exports;
        this.user = user;
        this.fhir = fhir;
    }

    Response kickOff(String level, Long organizationId, UriInfo uri, RoutingContext routing, String prefer, byte[] body) {
        // A POST's body that is not a JSON object is a 400 before anything else; then a Group that is
        // not the caller's is a 404 before the body's resource, the headers and the parameters are judged.
        String text = body == null ? null : jsonObject(body);
        ExportCaller caller = ExportCaller.of(user);
        if (organizationId != null) {
            exports.requireGroup(caller, organizationId);
        }
        Map<String, List<String>> fromBody = text == null ? Map.of() : parameters(text);
        ExportRequest.accept(ExportHeaders.originalAccept(routing));
        // Every Prefer header: a client may send respond-async and handling=lenient in two.
        List<String> prefers = routing.request().headers().getAll("Prefer");
        boolean lenient = ExportRequest.lenient(prefers.isEmpty() ? prefer : String.join(",", prefers));
        Map<String, List<String>> params = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> params.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        fromBody.forEach((name, values) -> params.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        ExportRequest parsed = ExportRequest.parse(level, params, lenient, Instant.now());
        if (caller.system()) {
            // A system token exports only what its scopes read: the types asked for must all be
            // covered; without _type, the level's types its scopes cover.
            List<String> readable = parsed.types().stream().filter(caller::reads).toList();
            if (readable.isEmpty() || params.containsKey("_type") && readable.size() < parsed.types().size()) {
                throw ApiException.forbidden("This token's scopes do not read every resource type of this export.");
            }
            parsed = parsed.withTypes(readable);
        }
        ExportRequest request = parsed;
        // The kick-off's URL as the client wrote it (its path decoded: $export, not %24export), under the public base URL.
        String query = uri.getRequestUri().getRawQuery();
        String requestUrl = PublicUrl.base().orElse("") + uri.getPath() + (query == null ? "" : "?" + query);
        long id = exports.kickOff(caller, request, organizationId, requestUrl);
        OperationOutcome accepted = new OperationOutcome();
        accepted.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics("Export accepted: poll the Content-Location for its status.");
        request.ignored().forEach(message -> accepted.addIssue().setSeverity(OperationOutcome.IssueSeverity.WARNING)
                .setCode(OperationOutcome.IssueType.NOTSUPPORTED).setDiagnostics(message));
        return Response.accepted(accepted).type(Fhir.MEDIA_TYPE)
                .header("Content-Location", PublicUrl.of(STATUS_PATH + id).toString()).build();
    }

    /** Strict JSON: one value, no duplicate keys, no deep nesting (a Parameters resource nests a few levels). */
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = strictJson();

    private static com.fasterxml.jackson.databind.ObjectMapper strictJson() {
        var factory = com.fasterxml.jackson.core.JsonFactory.builder()
                .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(16).build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        return com.fasterxml.jackson.databind.json.JsonMapper.builder(factory)
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    /** A POST's body: UTF-8 text of a JSON object naming its resourceType (Parameters is checked later), else a 400. */
    private static String jsonObject(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(Problem.Type.MALFORMED, "The body is not valid UTF-8.");
        }
        try {
            if (!text.isBlank() && JSON.readTree(text) instanceof com.fasterxml.jackson.databind.node.ObjectNode o
                    && o.path("resourceType").isTextual()) {
                return text;
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // below
        }
        throw new ApiException(Problem.Type.MALFORMED, "The body must be a FHIR Parameters resource in JSON.");
    }

    /** A {@code Parameters} body as name → values: strings, codes, instants, and references' {@code reference}. */
    private Map<String, List<String>> parameters(String text) {
        Parameters parameters;
        try {
            parameters = fhir.parser().parseResource(Parameters.class, text);
        } catch (DataFormatException | IllegalArgumentException | ClassCastException e) {
            // HAPI's message can quote the input: never passed on.
            throw new ApiException(Problem.Type.MALFORMED, "The body must be a FHIR Parameters resource in JSON.");
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (ParametersParameterComponent p : parameters.getParameter()) {
            if (p.getName() == null || p.getName().isBlank()) {
                throw new ApiException(Problem.Type.MALFORMED, "Every parameter of the body needs a name.");
            }
            String value;
            if (p.getValue() instanceof Reference r) {
                value = r.getReference();
            } else if (p.getValue() instanceof PrimitiveType<?> v) {
                value = v.getValueAsString();
            } else {
                throw new ApiException(Problem.Type.MALFORMED, "Each parameter of the body needs a value (a string, code,"
                        + " instant or reference).");
            }
            values.computeIfAbsent(p.getName(), n -> new ArrayList<>()).add(value);
        }
        return values;
    }
}
