package org.acme.healthcare.openapi;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.acme.healthcare.common.Problem;
import org.acme.healthcare.ops.RequestId;
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
 * <li>the {@code X-Request-Id} header on every response;</li>
 * <li>an example on every shared problem response, of its own status: only the 500 carries a
 * {@code correlationId}, only the 400 {@code errors} (Swagger UI would otherwise build one example
 * from every property of {@code Problem});</li>
 * <li>tags and paths in the order a newcomer needs them ({@link #TAG_ORDER}; register, then log in).</li>
 * </ul>
 */
public class ApiDocumentFilter implements OASFilter {
    static final String INTERNAL_ERROR = "InternalError";
    static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";
    static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";
    static final String REQUEST_ID_HEADER = RequestId.HEADER;

    /** Status of an error response without a body, and the shared response that describes it. */
    private static final Map<String, String> SHARED_BY_STATUS = Map.ofEntries(
            Map.entry("400", ApiApplication.BAD_REQUEST),
            Map.entry("401", ApiApplication.UNAUTHORIZED),
            Map.entry("403", ApiApplication.FORBIDDEN),
            Map.entry("404", ApiApplication.NOT_FOUND),
            Map.entry("409", ApiApplication.CONFLICT),
            Map.entry("412", ApiApplication.PRECONDITION_FAILED),
            Map.entry("413", PAYLOAD_TOO_LARGE),
            Map.entry("415", ApiApplication.UNSUPPORTED_MEDIA_TYPE),
            Map.entry("429", ApiApplication.TOO_MANY_REQUESTS),
            Map.entry("500", INTERNAL_ERROR),
            Map.entry("503", SERVICE_UNAVAILABLE));

    /** The tags as Swagger UI lists them: sign up and in first, the admin-only parts last. */
    static final List<String> TAG_ORDER = List.of("Authentication", "Patients", "Conditions", "Doctors", "Mappings", "Organizations",
            "System clients", "FHIR", "Users", "Audit");

    /** Authentication's paths in the order they are used (the rest keep their order within their tag). */
    private static final List<String> AUTH_PATH_ORDER = List.of("/api/auth/register", "/api/auth/login", "/api/auth/me",
            "/api/auth/refresh", "/api/auth/logout", "/api/auth/sessions", "/api/auth/sessions/{id}", "/api/auth/password");

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
            SHARED_BY_STATUS.forEach((status, name) -> {
                APIResponse shared = components.getResponses().get(name);
                if (shared != null) {
                    addExample(shared, Integer.parseInt(status));
                }
            });
        }
        orderTags(openAPI);

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
        orderPaths(openAPI);
        removeUnusedSchemas(openAPI);
    }

    /**
     * Keeps only the schemas an operation or a shared component uses, directly or through another
     * schema. The FHIR routes return HAPI's model classes, which SmallRye scans into ~150 schemas
     * (GregorianCalendar, Locale, EnumFactory…) that refer to one another, so SmallRye's own
     * unused-schema removal keeps them; reachability from the operations drops them.
     */
    private static void removeUnusedSchemas(OpenAPI openAPI) {
        var components = openAPI.getComponents();
        if (components == null || components.getSchemas() == null) {
            return;
        }
        Map<String, Schema> all = components.getSchemas();
        java.util.Set<String> used = new java.util.HashSet<>();
        java.util.Deque<Schema> todo = new java.util.LinkedList<>(); // takes nulls: absent parts
        java.util.function.Consumer<org.eclipse.microprofile.openapi.models.media.Content> content = c -> {
            if (c != null && c.getMediaTypes() != null) {
                c.getMediaTypes().values().forEach(m -> todo.add(m.getSchema()));
            }
        };
        java.util.function.Consumer<APIResponse> response = r -> {
            content.accept(r.getContent());
            if (r.getHeaders() != null) {
                r.getHeaders().values().forEach(h -> todo.add(h.getSchema()));
            }
        };
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            for (PathItem item : openAPI.getPaths().getPathItems().values()) {
                if (item.getParameters() != null) {
                    item.getParameters().forEach(p -> todo.add(p.getSchema()));
                }
                if (item.getOperations() == null) {
                    continue;
                }
                for (Operation op : item.getOperations().values()) {
                    if (op.getParameters() != null) {
                        op.getParameters().forEach(p -> todo.add(p.getSchema()));
                    }
                    if (op.getRequestBody() != null) {
                        content.accept(op.getRequestBody().getContent());
                    }
                    if (op.getResponses() != null && op.getResponses().getAPIResponses() != null) {
                        op.getResponses().getAPIResponses().values().forEach(response);
                    }
                }
            }
        }
        if (components.getResponses() != null) {
            components.getResponses().values().forEach(response);
        }
        if (components.getHeaders() != null) {
            components.getHeaders().values().forEach(h -> todo.add(h.getSchema()));
        }
        if (components.getParameters() != null) {
            components.getParameters().values().forEach(p -> todo.add(p.getSchema()));
        }
        if (components.getRequestBodies() != null) {
            components.getRequestBodies().values().forEach(b -> content.accept(b.getContent()));
        }
        while (!todo.isEmpty()) {
            Schema schema = todo.poll();
            if (schema == null) {
                continue;
            }
            if (schema.getRef() != null) {
                String name = schema.getRef().substring(schema.getRef().lastIndexOf('/') + 1);
                if (used.add(name) && all.get(name) != null) {
                    todo.add(all.get(name));
                }
            }
            if (schema.getProperties() != null) {
                todo.addAll(schema.getProperties().values());
            }
            todo.add(schema.getItems());
            todo.add(schema.getAdditionalPropertiesSchema());
            todo.add(schema.getNot());
            for (List<Schema> list : java.util.Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())) {
                if (list != null) {
                    todo.addAll(list);
                }
            }
        }
        Map<String, Schema> kept = new java.util.LinkedHashMap<>();
        all.forEach((name, schema) -> {
            if (used.contains(name)) {
                kept.put(name, schema);
            }
        });
        components.setSchemas(kept);
    }

    private static void orderTags(OpenAPI openAPI) {
        if (openAPI.getTags() == null) {
            return;
        }
        List<org.eclipse.microprofile.openapi.models.tags.Tag> tags = new java.util.ArrayList<>(openAPI.getTags());
        tags.sort(java.util.Comparator.comparingInt(t -> rank(TAG_ORDER, t.getName())));
        openAPI.setTags(tags);
    }

    /** Swagger UI lists a tag's operations in the document's path order. */
    private static void orderPaths(OpenAPI openAPI) {
        Map<String, PathItem> items = openAPI.getPaths().getPathItems();
        List<String> keys = new java.util.ArrayList<>(items.keySet());
        List<String> original = List.copyOf(keys);
        keys.sort(java.util.Comparator.<String>comparingInt(k -> rank(TAG_ORDER, firstTag(items.get(k))))
                .thenComparingInt(k -> rank(AUTH_PATH_ORDER, k))
                .thenComparingInt(original::indexOf));
        var paths = OASFactory.createPaths();
        for (String key : keys) {
            paths.addPathItem(key, items.get(key));
        }
        paths.setExtensions(openAPI.getPaths().getExtensions());
        openAPI.setPaths(paths);
    }

    private static String firstTag(PathItem item) {
        if (item.getOperations() == null) {
            return "";
        }
        return item.getOperations().values().stream()
                .filter(op -> op.getTags() != null && !op.getTags().isEmpty())
                .map(op -> op.getTags().get(0)).findFirst().orElse("");
    }

    private static int rank(List<String> order, String value) {
        int i = order.indexOf(value);
        return i < 0 ? order.size() : i;
    }

    /** An example problem document of this status on a shared response that has none. */
    private static void addExample(APIResponse shared, int status) {
        if (shared.getContent() == null || shared.getContent().getMediaType(Problem.MEDIA_TYPE) == null) {
            return;
        }
        var media = shared.getContent().getMediaType(Problem.MEDIA_TYPE);
        if (media.getExample() != null || (media.getExamples() != null && !media.getExamples().isEmpty())) {
            return;
        }
        Problem.Type type = status == 400 ? Problem.Type.VALIDATION : Problem.Type.forStatus(status);
        Map<String, Object> example = new java.util.LinkedHashMap<>();
        example.put("type", "urn:problem-type:healthcare:" + type.slug);
        example.put("title", type.title);
        example.put("status", status);
        example.put("detail", switch (status) {
            case 400 -> "The request is invalid.";
            case 409 -> "The record was changed by another request at the same time. Read it again and retry.";
            case 412 -> "The record has changed since you read it (If-Match does not match its ETag). Read it again and retry.";
            case 429 -> "Too many failed logins. Retry after the time in Retry-After.";
            case 500 -> "An unexpected error occurred. Quote the correlation id when reporting it.";
            case 503 -> "The database did not answer in time. Retry after the time in Retry-After.";
            default -> type.detail;
        });
        example.put("instance", "/api/patients/{id}");
        if (status == 400) {
            example.put("errors", List.of(Map.of("field", "name", "message", "is required")));
        }
        if (status == 500) {
            example.put("correlationId", "9b2f4c7e-1d3a-4e5b-8c6d-7e8f9a0b1c2d");
        }
        media.setExample(example);
    }

    private static void complete(Operation op) {
        if (op.getResponses() == null) {
            op.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = op.getResponses();
        addIfAbsent(responses, "400", ApiApplication.BAD_REQUEST);
        if (op.getSecurity() != null && !op.getSecurity().isEmpty()) {
            addIfAbsent(responses, "401", ApiApplication.UNAUTHORIZED);
        }
        if (op.getRequestBody() != null) {
            addIfAbsent(responses, "413", PAYLOAD_TOO_LARGE);
            addIfAbsent(responses, "415", ApiApplication.UNSUPPORTED_MEDIA_TYPE);
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
