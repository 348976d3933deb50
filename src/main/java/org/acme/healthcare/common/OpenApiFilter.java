package org.acme.healthcare.common;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Completes the generated OpenAPI document with what every operation shares, so that no
 * resource has to repeat it (registered with {@code mp.openapi.filter}, applied at build time):
 * <ul>
 * <li>the generic statuses, so that an operation's own annotations name only what is specific to
 * it (404, 409, 412, a 403 with its reason …): {@code 400} on every API operation (bad parameters,
 * a malformed header, failed validation), {@code 401} on every one that requires the bearer token,
 * {@code 413} and {@code 415} on every one that takes a body, {@code 500} (with a correlation id)
 * and {@code 503} (with {@code Retry-After}: the database did not answer within
 * {@code HEALTHCARE_DB_TIMEOUT}, no connection was free in time, or password hashing is
 * saturated), all as problem documents; an operation that documents one of these itself (login's
 * 401 "Wrong email or password") keeps its own;</li>
 * <li>a problem-details body on error responses the framework added without one (the 403 that
 * {@code auto-add-security-requirement} puts on role-guarded operations);</li>
 * <li>the {@code X-Request-Id} header on every response.</li>
 * </ul>
 */
public class OpenApiFilter implements OASFilter {
    static final String INTERNAL_ERROR = "InternalError";
    static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";
    static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";
    static final String REQUEST_ID_HEADER = RequestId.HEADER;

    /** Status of an error response without a body, and the shared response that describes it. */
    private static final Map<String, String> SHARED_BY_STATUS = Map.ofEntries(
            Map.entry("400", OpenApiDocs.BAD_REQUEST),
            Map.entry("401", OpenApiDocs.UNAUTHORIZED),
            Map.entry("403", OpenApiDocs.FORBIDDEN),
            Map.entry("404", OpenApiDocs.NOT_FOUND),
            Map.entry("409", OpenApiDocs.CONFLICT),
            Map.entry("412", OpenApiDocs.PRECONDITION_FAILED),
            Map.entry("413", PAYLOAD_TOO_LARGE),
            Map.entry("415", OpenApiDocs.UNSUPPORTED_MEDIA_TYPE),
            Map.entry("429", OpenApiDocs.TOO_MANY_REQUESTS),
            Map.entry("500", INTERNAL_ERROR),
            Map.entry("503", SERVICE_UNAVAILABLE));

    /** What SmallRye writes on the 400, 401 and 403 it adds itself: replaced by the shared responses' own text. */
    private static final Set<String> FRAMEWORK_DESCRIPTIONS = Set.of("Bad Request", "Not Authorized", "Not Allowed");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        var components = openAPI.getComponents();
        components.addResponse(INTERNAL_ERROR, problem("Unexpected failure. The body carries only a `correlationId`"
                + " that is also in the service log; nothing else about the cause."));
        components.addResponse(PAYLOAD_TOO_LARGE, problem("The request body is larger than the limit (1 MiB by default)"));
        APIResponse unavailable = problem("The service is saturated or its database did not answer in time"
                + " (`HEALTHCARE_DB_TIMEOUT`); nothing was half-written. Retry after `Retry-After` seconds.");
        unavailable.addHeader("Retry-After", OASFactory.createHeader().description("Seconds to wait before retrying")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).examples(List.of(5))));
        components.addResponse(SERVICE_UNAVAILABLE, unavailable);
        components.addHeader(REQUEST_ID_HEADER, OASFactory.createHeader()
                .description("Id of this request. A client's own `X-Request-Id` (1 to 64 characters of"
                        + " `A-Z a-z 0-9 . _ : -`) is echoed; otherwise it is the service's own id (a UUID). The service"
                        + " always makes its own id too: that one is in every log line about the request and is the"
                        + " audit event's `requestId`; the client's is logged and audited beside it (`clientRequestId`).")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).maxLength(64)
                        .examples(List.of("3f2b6c1e-8d4a-4c6e-9a57-0b1f2d3e4a5b"))));
        if (components.getResponses() != null) {
            for (APIResponse shared : components.getResponses().values()) {
                if (shared.getRef() == null) {
                    shared.addHeader(REQUEST_ID_HEADER, headerRef());
                }
            }
        }

        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/api/") || path.getValue().getOperations() == null) {
                continue;
            }
            for (Operation op : path.getValue().getOperations().values()) {
                complete(op);
            }
        }
    }

    private static void complete(Operation op) {
        if (op.getResponses() == null) {
            op.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = op.getResponses();
        addIfAbsent(responses, "400", OpenApiDocs.BAD_REQUEST);
        if (op.getSecurity() != null && !op.getSecurity().isEmpty()) {
            addIfAbsent(responses, "401", OpenApiDocs.UNAUTHORIZED);
        }
        if (op.getRequestBody() != null) {
            addIfAbsent(responses, "413", PAYLOAD_TOO_LARGE);
            addIfAbsent(responses, "415", OpenApiDocs.UNSUPPORTED_MEDIA_TYPE);
        }
        addIfAbsent(responses, "500", INTERNAL_ERROR);
        addIfAbsent(responses, "503", SERVICE_UNAVAILABLE);
        for (Map.Entry<String, APIResponse> entry : Map.copyOf(responses.getAPIResponses()).entrySet()) {
            APIResponse response = entry.getValue();
            String shared = SHARED_BY_STATUS.get(entry.getKey());
            if (response.getRef() == null && response.getContent() == null && shared != null) {
                APIResponse replacement = ref(shared);
                if (response.getDescription() != null && !FRAMEWORK_DESCRIPTIONS.contains(response.getDescription())) {
                    replacement.setDescription(response.getDescription());
                }
                responses.addAPIResponse(entry.getKey(), replacement);
            } else if (response.getRef() == null) {
                response.addHeader(REQUEST_ID_HEADER, headerRef());
            }
        }
    }

    private static void addIfAbsent(APIResponses responses, String status, String shared) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, ref(shared));
        }
    }

    private static APIResponse ref(String name) {
        return OASFactory.createAPIResponse().ref(name);
    }

    private static Header headerRef() {
        return OASFactory.createHeader().ref(REQUEST_ID_HEADER);
    }

    private static APIResponse problem(String description) {
        return OASFactory.createAPIResponse()
                .description(description)
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"))));
    }
}
