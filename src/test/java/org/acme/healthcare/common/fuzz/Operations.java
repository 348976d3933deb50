package org.acme.healthcare.common.fuzz;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The operations of the service's OpenAPI document, as much of them as the fuzz test needs. */
final class Operations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Operations() {
    }

    record Param(String name, String in, JsonNode schema) {
    }

    /** A property of an operation's JSON request body. */
    record Field(String name, JsonNode schema, boolean required) {
        String type() {
            return typeOf(schema);
        }

        boolean isString() {
            return "string".equals(type());
        }

        boolean isInteger() {
            return "integer".equals(type()) || "number".equals(type());
        }

        Long maxLength() {
            return schema.has("maxLength") ? schema.get("maxLength").asLong() : null;
        }

        boolean hasEnum() {
            return schema.has("enum");
        }

        boolean isEmail() {
            return name.toLowerCase(Locale.ROOT).contains("email") || "email".equals(schema.path("format").asText());
        }
    }

    /** {@code form}: the body is {@code application/x-www-form-urlencoded} (the token endpoint), not JSON. */
    record Op(String method, String template, boolean secured, List<Param> params, List<Field> fields, boolean hasBody,
            boolean form) {
        Op(String method, String template, boolean secured, List<Param> params, List<Field> fields, boolean hasBody) {
            this(method, template, secured, params, fields, hasBody, false);
        }

        /** The operation's name, and its dynamic test's: {@code GET /api/patients/{id}}. */
        String label() {
            return method + " " + template;
        }

        List<Param> params(String in) {
            return params.stream().filter(p -> p.in().equals(in)).toList();
        }
    }

    /** Every GET, POST, PUT, DELETE and PATCH operation of the document, in its order. */
    static List<Op> read(JsonNode doc) {
        boolean globalSecurity = doc.path("security").size() > 0;
        List<Op> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext();) {
            var path = paths.next();
            List<JsonNode> shared = new ArrayList<>();
            path.getValue().path("parameters").forEach(shared::add);
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext();) {
                var m = methods.next();
                String method = m.getKey().toUpperCase(Locale.ROOT);
                if (!List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    continue;
                }
                JsonNode op = m.getValue();
                boolean secured = op.has("security") ? hasRequirement(op.get("security")) : globalSecurity;
                List<Param> params = new ArrayList<>();
                List<JsonNode> all = new ArrayList<>(shared);
                op.path("parameters").forEach(all::add);
                for (JsonNode p : all) {
                    JsonNode param = resolve(doc, p);
                    params.add(new Param(param.path("name").asText(), param.path("in").asText(),
                            resolve(doc, param.path("schema"))));
                }
                List<Field> fields = new ArrayList<>();
                boolean hasBody = op.has("requestBody");
                boolean form = false;
                if (hasBody) {
                    JsonNode content = resolve(doc, op.get("requestBody")).path("content");
                    form = content.has("application/x-www-form-urlencoded") && !content.has("application/json");
                    JsonNode media = content.has("application/json") ? content.get("application/json")
                            : content.elements().hasNext() ? content.elements().next() : JSON.createObjectNode();
                    JsonNode schema = resolve(doc, media.path("schema"));
                    Set<String> required = new LinkedHashSet<>();
                    schema.path("required").forEach(r -> required.add(r.asText()));
                    for (Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields(); props.hasNext();) {
                        var prop = props.next();
                        fields.add(new Field(prop.getKey(), resolve(doc, prop.getValue()), required.contains(prop.getKey())));
                    }
                }
                ops.add(new Op(method, path.getKey(), secured, params, fields, hasBody, form));
            }
        }
        return ops;
    }

    private static boolean hasRequirement(JsonNode security) {
        for (JsonNode req : security) {
            if (req.size() > 0) {
                return true;
            }
        }
        return false;
    }

    /** Follows {@code $ref} (and a single-element {@code allOf}/{@code anyOf}/{@code oneOf}). */
    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        for (int i = 0; i < 10 && node != null; i++) {
            if (node.has("$ref")) {
                JsonNode target = doc;
                for (String part : node.get("$ref").asText().replaceFirst("^#/", "").split("/")) {
                    target = target.path(part);
                }
                node = target;
            } else if (node.has("allOf") && node.get("allOf").size() == 1 && !node.has("type")) {
                node = node.get("allOf").get(0);
            } else {
                break;
            }
        }
        return node;
    }

    static String typeOf(JsonNode schema) {
        JsonNode t = schema.path("type");
        if (t.isArray()) {
            for (JsonNode x : t) {
                if (!"null".equals(x.asText())) {
                    return x.asText();
                }
            }
        }
        if (t.isTextual()) {
            return t.asText();
        }
        for (String combo : List.of("anyOf", "oneOf")) {
            for (JsonNode x : schema.path(combo)) {
                String inner = typeOf(x);
                if (!inner.isEmpty() && !"null".equals(inner)) {
                    return inner;
                }
            }
        }
        return schema.has("enum") ? "string" : "";
    }
}
