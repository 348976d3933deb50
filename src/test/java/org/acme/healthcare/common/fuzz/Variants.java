package org.acme.healthcare.common.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.acme.healthcare.common.fuzz.Operations.typeOf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import org.acme.healthcare.common.fuzz.Fixtures.Auth;
import org.acme.healthcare.common.fuzz.Operations.Field;
import org.acme.healthcare.common.fuzz.Operations.Op;
import org.acme.healthcare.common.fuzz.Operations.Param;
import org.acme.healthcare.support.Api;

/**
 * The request generator: the malformed variants of an operation (bad tokens, odd ids and paging,
 * wrong types, missing fields, huge and odd strings, out-of-range numbers, broken JSON and UTF-8,
 * wrong media types, oversized bodies), each with the statuses it may answer where the contract
 * fixes them, and random stacks of mutations on top of them. Every random value (markers, long
 * strings, the stacking) comes from {@code rnd}, so a seed replays a run.
 */
final class Variants {
    private static final int HUGE = 100 * 1024;
    private static final int OVER_BODY_LIMIT = 1024 * 1024 + 4096;
    private static final Set<Integer> BAD_REQUEST = Set.of(400);
    /** A token request the endpoint cannot use: 400, or 401 (invalid_client) once the client assertion is what is wrong. */
    private static final Set<Integer> BAD_REQUEST_OR_401 = Set.of(400, 401);
    private static final List<String> BODY_METHODS = List.of("POST", "PUT", "PATCH");

    private final Fixtures fx;
    /** Every operation of the document (the variants of one look at its neighbours' paths). */
    private final List<Op> allOps;
    private final Random rnd;

    Variants(Fixtures fx, List<Op> allOps, Random rnd) {
        this.fx = fx;
        this.allOps = allOps;
        this.rnd = rnd;
    }

    // ------------------------------------------------------------------ baseline bodies from the schema

    /** A valid body built from the schema's examples, with the few values the schema cannot know. */
    private LinkedHashMap<String, String> baselineBody(Op op) {
        LinkedHashMap<String, String> body = new LinkedHashMap<>();
        for (Field f : op.fields()) {
            body.put(f.name(), baselineValue(op, f));
        }
        return body;
    }

    private String baselineValue(Op op, Field f) {
        String name = f.name();
        if (op.template().endsWith("/register") && name.equals("email")) {
            return js(Api.uniqueEmail());
        }
        if (op.template().endsWith("/login")) {
            if (name.equals("email")) {
                return js(fx.loginUser.email());
            }
            if (name.equals("password")) {
                return js(Api.PASSWORD);
            }
        }
        if (name.equals("patientId")) {
            return String.valueOf(fx.userPatient);
        }
        if (name.equals("doctorId")) {
            return String.valueOf(fx.userDoctor);
        }
        if (name.equals("role")) {
            // Never promote anyone: other tests count the admins (an organization's lowest role is reader).
            return js(op.template().startsWith("/api/organizations/") ? "reader" : "user");
        }
        if (name.equals("identifiers")) {
            return "[]"; // the example's identifier would make every create after the first a 409
        }
        if (name.equals("birthDate")) {
            // Its example and age's would disagree once a birthday passes: the baseline leaves it out.
            return "null";
        }
        JsonNode example = f.schema().has("examples") && f.schema().get("examples").size() > 0
                ? f.schema().get("examples").get(0)
                : f.schema().get("example");
        if ("array".equals(f.type())) {
            return example != null && example.isArray() ? example.toString() : "[]";
        }
        if ("object".equals(f.type())) {
            return objectFromExamples(f.schema());
        }
        if ("boolean".equals(f.type())) {
            return example != null && example.asText().equals("true") ? "true" : "false";
        }
        if (f.isInteger()) {
            if (example != null && (example.isNumber() || example.asText().matches("-?\\d+"))) {
                return example.asText();
            }
            return f.schema().has("minimum") ? f.schema().get("minimum").asText() : "1";
        }
        if (example != null && !example.isNull()) {
            return js(example.asText());
        }
        if (f.hasEnum()) {
            return js(f.schema().get("enum").get(0).asText());
        }
        return f.isEmail() ? js("fuzz@example.com") : js("fuzz");
    }

    /** A nested object (a condition's code) from its properties' examples or enums. */
    private static String objectFromExamples(JsonNode schema) {
        StringBuilder sb = new StringBuilder("{");
        schema.path("properties").fields().forEachRemaining(e -> {
            JsonNode p = e.getValue();
            JsonNode ex = p.has("examples") && p.get("examples").size() > 0 ? p.get("examples").get(0)
                    : p.has("enum") ? p.get("enum").get(0) : null;
            if (ex != null) {
                sb.append(sb.length() > 1 ? "," : "").append(js(e.getKey())).append(':').append(ex.isTextual() ? js(ex.asText()) : ex.toString());
            }
        });
        return sb.append('}').toString();
    }

    Req baseline(Op op, Auth auth, String variant) {
        Req r = new Req(op, variant, fx.forOperation(op, auth));
        for (Param p : op.params("path")) {
            r.pathValues.put(p.name(), fx.validId(op, p.name()));
        }
        if (op.form()) {
            r.contentType = "application/x-www-form-urlencoded";
            r.body = form(baselineForm(op)).getBytes(UTF_8);
        } else if (op.hasBody()) {
            r.json(op.template().equals("/fhir") || op.template().startsWith("/fhir/") ? fhirBody(op, r) : obj(baselineBody(op)));
        }
        return r;
    }

    /** A form's fields from the schema's examples and enums (raw values, encoded by {@link #form}). */
    private static LinkedHashMap<String, String> baselineForm(Op op) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        for (Field f : op.fields()) {
            JsonNode s = f.schema();
            JsonNode ex = s.has("examples") && s.get("examples").size() > 0 ? s.get("examples").get(0)
                    : s.has("enum") ? s.get("enum").get(0) : null;
            m.put(f.name(), ex == null ? "x" : ex.asText());
        }
        return m;
    }

    private static String form(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, val) -> sb.append(sb.length() > 0 ? "&" : "").append(java.net.URLEncoder.encode(k, UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(val, UTF_8)));
        return sb.toString();
    }

    /**
     * A form body's breakage (the token endpoint): no body, malformed percent-encoding, a parameter
     * twice, invalid UTF-8, too many parameters, each field missing or garbage, other body types,
     * over the body limit. Every one is a client error (OAuth's JSON: Checks).
     */
    private List<Supplier<Req>> formVariants(Op op, Auth deep) {
        List<Supplier<Req>> v = new ArrayList<>();
        v.add(() -> baseline(op, deep, "form:baseline").expect(Set.of(400, 401)));
        List<String[]> raw = List.of(new String[] { "empty", "" }, new String[] { "bad-percent", "a=%zz&b=%" },
                new String[] { "duplicate", form(baselineForm(op)) + "&" + form(baselineForm(op)) },
                new String[] { "many-params", "a=1&".repeat(100) }, new String[] { "json", obj(baselineBody(op)) },
                new String[] { "nul", "grant_type=%00" }, new String[] { "only-ampersands", "&&&&" });
        for (String[] w : raw) {
            v.add(() -> {
                Req r = baseline(op, deep, "form:" + w[0]);
                r.body = w[1].getBytes(UTF_8);
                return r.expect(BAD_REQUEST_OR_401);
            });
        }
        v.add(() -> {
            Req r = baseline(op, deep, "form:invalid-utf8");
            r.body = splice("grant_type=@@BAD@@".getBytes(UTF_8), "@@BAD@@", new byte[] { (byte) 0xC3, 0x28 });
            return r.expect(BAD_REQUEST_OR_401);
        });
        for (Field f : op.fields()) {
            v.add(() -> {
                Req r = baseline(op, deep, "form:" + f.name() + ":missing");
                var m = baselineForm(op);
                m.remove(f.name());
                r.body = form(m).getBytes(UTF_8);
                return r.expect(BAD_REQUEST_OR_401);
            });
            v.add(() -> {
                Req r = baseline(op, deep, "form:" + f.name() + ":garbage");
                var m = baselineForm(op);
                m.put(f.name(), plant(r, marker()));
                r.body = form(m).getBytes(UTF_8);
                return r.expect(BAD_REQUEST_OR_401);
            });
        }
        for (String ct : List.of("application/json", "text/plain", "multipart/form-data; boundary=zz", "garbage")) {
            v.add(() -> {
                Req r = baseline(op, deep, "content-type:" + ct);
                r.contentType = ct;
                return r.expect(Set.of(415));
            });
        }
        v.add(() -> {
            Req r = baseline(op, deep, "form:over-1MiB");
            r.body = (form(baselineForm(op)) + "&pad=" + randomAscii(OVER_BODY_LIMIT)).getBytes(UTF_8);
            return r.expect(Set.of(413));
        });
        return v;
    }

    /**
     * A valid FHIR body of a write (the document's FHIR schemas are FHIR's own, without examples):
     * a US Core Patient with an identifier of its own, a Condition of the fuzz user's patient, an
     * empty batch. An update carries the id of its URL.
     */
    private String fhirBody(Op op, Req r) {
        String id = r.pathValues.containsKey("id") ? r.pathValues.get("id") : r.pathValues.get("cid");
        String idField = id == null ? "" : "\"id\":\"" + id + "\",";
        if (op.template().startsWith("/fhir/Patient")) {
            return "{\"resourceType\":\"Patient\"," + idField + "\"identifier\":[{\"system\":\"http://fuzz.example/mrn\","
                    + "\"value\":\"F-" + java.util.UUID.randomUUID() + "\"}],\"name\":[{\"family\":\"Fuzz\"}],\"gender\":\"unknown\"}";
        }
        if (op.template().startsWith("/fhir/Condition")) {
            return "{\"resourceType\":\"Condition\"," + idField + "\"subject\":{\"reference\":\"Patient/" + fx.userPatient + "\"},"
                    + "\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-category\","
                    + "\"code\":\"problem-list-item\"}]}],\"code\":{\"text\":\"Fuzz condition\"}}";
        }
        return "{\"resourceType\":\"Bundle\",\"type\":\"batch\"}";
    }

    // ------------------------------------------------------------------ the variants

    /**
     * Every single-mutation variant of the operation, each one request; {@code deep} is the token
     * that gets past authorization, so that the deep validation paths run.
     */
    List<Supplier<Req>> variants(Op op, Auth deep) {
        List<Supplier<Req>> v = new ArrayList<>();

        // Tokens: bad ones must be 401 on a protected operation; good ones reach the resource.
        for (Auth a : fx.auths) {
            v.add(() -> baseline(op, a, "auth:" + a.name()).expect(op.secured() && !a.valid() ? Set.of(401) : null));
        }
        v.add(() -> {
            Req r = baseline(op, deep, "auth:x-access-token-garbage-with-valid-authorization");
            r.headers.put("x-access-token", "garbage");
            return r;
        });
        v.add(() -> {
            Req r = baseline(op, null, "auth:bearer-too-large-header-20k");
            r.headers.put("Authorization", "Bearer " + randomAscii(20 * 1024));
            return r;
        });

        // Path parameters.
        for (Param p : op.params("path")) {
            for (String[] value : pathValues()) {
                v.add(() -> {
                    Req r = baseline(op, deep, "path:" + p.name() + "=" + abbreviate(value[0], 30));
                    String valid = r.pathValues.get(p.name());
                    String raw = switch (value[0]) {
                        case "MARKER" -> plant(r, marker());
                        case "PLUS_VALID" -> "+" + valid;
                        case "SPACE_VALID" -> "%20" + valid;
                        case "VALID_DOT_ZERO" -> valid + ".0";
                        case "ARABIC_DIGITS_OF_VALID" -> arabicDigits(valid);
                        default -> value[0];
                    };
                    r.pathValues.put(p.name(), raw);
                    // 0 is a valid version number (a record's first version), as is -0 read as a long.
                    boolean validVersion = (p.name().equals("version") || p.name().equals("vid")) && (value[0].equals("0") || value[0].equals("-0"));
                    r.expect = validVersion ? null : expectSet(value[1]);
                    if (r.expect != null && opaqueId(p)) {
                        // An opaque string id (a system client's clientId): any value is a lookup that finds
                        // nothing (404) or one its constraints refuse (400); the numeric expectations do not apply.
                        Set<Integer> any = new java.util.HashSet<>(r.expect);
                        any.addAll(Set.of(400, 404));
                        r.expect = any;
                    }
                    if (r.expect != null && op.method().equals("PUT") && op.template().startsWith("/fhir/")) {
                        // FHIR's update: a URL id that is not the body's is a 400 before any lookup.
                        Set<Integer> either = new java.util.HashSet<>(r.expect);
                        either.add(400);
                        r.expect = either;
                    }
                    return r;
                });
            }
            v.add(() -> {
                Req r = baseline(op, fx.userAuth, "path:" + p.name() + "=other-users-record");
                String[] rec = fx.othersRecord(op, p.name());
                r.pathValues.put(p.name(), rec[0]);
                if (op.method().equals("PUT") && op.template().startsWith("/fhir/")) {
                    r.json(fhirBody(op, r)); // the body's id follows the URL's, so the lookup decides
                }
                return r.expect(expectSet(rec[1]));
            });
        }
        if (!op.params("path").isEmpty()) {
            v.add(() -> {
                Req r = baseline(op, deep, "path:unknown-subresource");
                r.suffix = "/zz-no-such-thing";
                // Where the path plus one segment is another operation's (/history/{version}), that
                // segment is a malformed parameter: 400.
                boolean deeper = allOps.stream().anyMatch(o -> o.template().matches(java.util.regex.Pattern.quote(op.template()) + "/\\{[^}/]+}"));
                return r.expect(deeper ? Set.of(400, 404, 405) : Set.of(404, 405));
            });
        }

        // Query parameters.
        for (Param p : op.params("query")) {
            for (String[] value : queryValues(p)) {
                v.add(() -> {
                    Req r = baseline(op, deep, "query:" + p.name() + "=" + abbreviate(value[0], 40));
                    String raw = value[0];
                    if (raw.equals("MARKER")) {
                        raw = plant(r, marker());
                    } else if (raw.startsWith("HUGE:")) {
                        int n = Integer.parseInt(raw.substring(5));
                        raw = plant(r, marker()) + randomAscii(n);
                        plant(r, raw.substring(raw.length() - 48));
                    }
                    r.query.add(new String[] { p.name(), raw });
                    r.expect = expectSet(value[1]);
                    return r;
                });
            }
        }
        v.add(() -> {
            Req r = baseline(op, deep, "query:unknown-and-repeated");
            r.query.add(new String[] { "zz", plant(r, marker()) });
            r.query.add(new String[] { "page", "1" });
            r.query.add(new String[] { "page", "abc" });
            return r;
        });

        // Headers.
        for (Param p : op.params("header")) {
            boolean ifMatch = p.name().equalsIgnoreCase("If-Match");
            for (String value : List.of("\"-1\"", "W/\"1\"", "garbage", "\"99999999999999999999999\"", "MARKER", "*", "", "LONG")) {
                v.add(() -> {
                    Req r = baseline(op, deep, "header:" + p.name() + "=" + value);
                    String raw = switch (value) {
                        case "MARKER" -> "\"" + plant(r, marker()) + "\"";
                        case "LONG" -> "\"" + randomAscii(6000) + "\"";
                        default -> value;
                    };
                    r.headers.put(p.name(), raw);
                    // An unquoted tag is a 400 that says so (common/Etags); a quoted one that is not current, 412.
                    boolean unquoted = ifMatch && value.equals("garbage");
                    boolean stale = ifMatch && !value.equals("*") && !value.isEmpty() && !unquoted;
                    return r.expect(unquoted ? Set.of(400) : stale ? Set.of(412) : null);
                });
            }
        }
        for (String accept : List.of("text/html", "application/xml", "*/*", "garbage", "application/problem+json")) {
            v.add(() -> {
                Req r = baseline(op, deep, "accept:" + accept);
                r.headers.put("Accept", accept);
                return r;
            });
        }

        if (op.form()) {
            v.addAll(formVariants(op, deep));
        } else if (op.hasBody()) {
            v.addAll(bodyVariants(op, deep));
        }
        return v;
    }

    /** A path parameter that is a string without a pattern: an opaque id, not a number. */
    private static boolean opaqueId(Param p) {
        return "string".equals(typeOf(p.schema())) && !p.schema().has("pattern");
    }

    /** {value, expectation}: expectation "400", "400|404", or "" for none. */
    private static List<String[]> pathValues() {
        return List.of(
                new String[] { "0", "400|404" },
                new String[] { "-1", "400|404" },
                new String[] { "-0", "400|404" },
                new String[] { "-9223372036854775808", "400|404" },
                new String[] { "9223372036854775807", "404" },
                new String[] { "9223372036854775808", "400" },
                new String[] { "18446744073709551616", "400" },
                new String[] { "99999999999999999999999999", "400" },
                new String[] { "abc", "400" },
                new String[] { "MARKER", "400" },
                new String[] { "1.5", "400" },
                new String[] { "1e3", "400" },
                new String[] { "0x10", "400" },
                new String[] { "%20", "400" },
                new String[] { "%00", "400" },
                new String[] { "1%00", "400" },
                new String[] { "%FF", "400" },
                new String[] { "%C3%28", "400" },
                new String[] { "%ED%A0%80", "400" },
                new String[] { "%F0%9F%98%80", "400" },
                new String[] { "%E2%80%AE1", "400" },
                new String[] { "null", "400" },
                new String[] { "true", "400" },
                new String[] { "%5B1%5D", "400" },
                new String[] { "1%3BDROP%20TABLE%20patients", "400" },
                new String[] { "1'%20OR%20'1'%3D'1", "400" },
                new String[] { "ARABIC_DIGITS_OF_VALID", "" },
                new String[] { "PLUS_VALID", "" },
                new String[] { "SPACE_VALID", "400" },
                new String[] { "VALID_DOT_ZERO", "400" },
                new String[] { "9".repeat(1000), "400" },
                new String[] { "9".repeat(5000), "400|414" },
                new String[] { "..%2F..%2Fq%2Fopenapi", "" });
    }

    private static List<String[]> queryValues(Param p) {
        List<String[]> values = new ArrayList<>();
        String type = typeOf(p.schema());
        if ("integer".equals(type) || "number".equals(type)) {
            Long min = p.schema().has("minimum") ? p.schema().get("minimum").asLong() : null;
            Long max = p.schema().has("maximum") ? p.schema().get("maximum").asLong() : null;
            for (String n : List.of("-1", "0", "1", "500", "501", "10000000", "10000001", "2147483647", "2147483648",
                    "-2147483649", "9223372036854775808", "18446744073709551616")) {
                long x;
                try {
                    x = Long.parseLong(n);
                } catch (NumberFormatException e) {
                    values.add(new String[] { n, "400" });
                    continue;
                }
                // int64 parameters (ids) take the whole long range; int32 ones (page, size) do not.
                boolean int64 = "int64".equals(p.schema().path("format").asText());
                boolean inRange = int64 || (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE);
                boolean out = !inRange || (min != null && x < min) || (max != null && x > max);
                values.add(new String[] { n, out ? "400" : "" });
            }
            for (String n : List.of("abc", "MARKER", "1.5", "1e2", "0x10", "%00", "%FF", "%20", "1%20", "NaN", "-")) {
                values.add(new String[] { n, "400" });
            }
            values.add(new String[] { "", "" });
        } else {
            boolean hasEnum = p.schema().has("enum");
            Long maxLength = p.schema().has("maxLength") ? p.schema().get("maxLength").asLong() : null;
            values.add(new String[] { "MARKER", hasEnum ? "400" : "" });
            values.add(new String[] { "%00", hasEnum ? "400" : "" });
            values.add(new String[] { "%FF", hasEnum ? "400" : "" });
            values.add(new String[] { "%C3%28", hasEnum ? "400" : "" });
            values.add(new String[] { "%ED%A0%80", hasEnum ? "400" : "" });
            values.add(new String[] { "%F0%9F%98%80%E2%80%AE%D7%90", hasEnum ? "400" : "" });
            values.add(new String[] { "name%3BDROP%20TABLE%20users", hasEnum ? "400" : "" });
            values.add(new String[] { "'%22%5C", hasEnum ? "400" : "" });
            values.add(new String[] { "%25", hasEnum ? "400" : "" });
            values.add(new String[] { "_", hasEnum ? "400" : "" });
            values.add(new String[] { "-name", hasEnum ? "400" : "" });
            values.add(new String[] { "createdAt%20desc", hasEnum ? "400" : "" });
            values.add(new String[] { "ALL", hasEnum ? "400" : "" });
            values.add(new String[] { "", "" });
            if (maxLength != null) {
                values.add(new String[] { "HUGE:" + (maxLength + 1), "400" });
            }
            values.add(new String[] { "HUGE:3000", hasEnum || maxLength != null ? "400" : "" });
            values.add(new String[] { "HUGE:" + HUGE, "400|414" });
            if (hasEnum) {
                for (JsonNode e : p.schema().get("enum")) {
                    values.add(new String[] { e.asText(), "" });
                }
            }
        }
        return values;
    }

    private List<Supplier<Req>> bodyVariants(Op op, Auth deep) {
        List<Supplier<Req>> v = new ArrayList<>();
        boolean create = op.method().equals("POST");

        // Valid-ish body from the examples (and a few owner/role fields that must be ignored).
        v.add(() -> baseline(op, deep, "body:baseline"));
        v.add(() -> {
            Req r = baseline(op, deep, "body:mass-assignment-fields");
            var b = baselineBody(op);
            b.put("id", "999999");
            b.put("ownerId", "1");
            b.put("userId", "1");
            b.put("createdBy", "1");
            b.put("version", "0");
            b.putIfAbsent("role", js("admin"));
            return r.json(obj(b));
        });
        v.add(() -> {
            Req r = baseline(op, deep, "body:unknown-fields");
            var b = baselineBody(op);
            b.put(js(plant(r, marker())).replace("\"", ""), js("x"));
            b.put("zzNested", "[".repeat(20) + "1" + "]".repeat(20));
            return r.json(obj(b));
        });
        v.add(() -> baseline(op, deep, "body:empty-object").json("{}").expect(create && hasRequired(op) ? BAD_REQUEST : null));

        // Whole-body breakage: malformed JSON, the wrong top-level shape, nesting, encodings.
        String good = obj(baselineBody(op));
        List<String[]> whole = new ArrayList<>(List.of(
                new String[] { "truncated", good.substring(0, good.length() / 2) },
                new String[] { "open-brace", "{" },
                new String[] { "unterminated-string", "{\"" + firstFieldName(op) + "\":\"abc" },
                new String[] { "trailing-comma", good.substring(0, good.length() - 1) + ",}" },
                new String[] { "single-quotes", good.replace('"', '\'') },
                new String[] { "unquoted-keys", good.replaceAll("\"([A-Za-z_]+)\":", "$1:") },
                new String[] { "trailing-garbage", good + "x" },
                new String[] { "two-objects", good + good },
                new String[] { "comment", "/* c */" + good },
                new String[] { "nan", "{\"" + firstFieldName(op) + "\":NaN}" },
                new String[] { "leading-zero", "{\"" + firstFieldName(op) + "\":01}" },
                new String[] { "hex-number", "{\"" + firstFieldName(op) + "\":0x1F}" },
                new String[] { "duplicate-key", dupKey(good) },
                new String[] { "array", "[]" },
                new String[] { "array-of-body", "[" + good + "]" },
                new String[] { "string", "\"" + "x" + "\"" },
                new String[] { "number", "1" },
                new String[] { "huge-number", "1e309" },
                new String[] { "true", "true" },
                new String[] { "null", "null" },
                new String[] { "whitespace", "   " },
                new String[] { "deep-array-10000", "[".repeat(10000) + "]".repeat(10000) },
                new String[] { "deep-object-2000", "{\"a\":".repeat(2000) + "1" + "}".repeat(2000) },
                new String[] { "deep-in-field-40", "{\"" + firstFieldName(op) + "\":" + "[".repeat(40) + "]".repeat(40) + "}" },
                new String[] { "deep-unknown-field-1000", "{\"zz\":" + "{\"a\":".repeat(1000) + "1" + "}".repeat(1000) + "}" },
                new String[] { "long-number-5000-digits", "{\"" + firstFieldName(op) + "\":" + "9".repeat(5000) + "}" }));
        for (String[] w : whole) {
            v.add(() -> baseline(op, deep, "body:" + w[0]).json(w[1]).expect(BAD_REQUEST));
        }
        v.add(() -> {
            Req r = baseline(op, deep, "body:empty");
            r.contentType = "application/json";
            r.body = new byte[0];
            return r.expect(BAD_REQUEST);
        });
        v.add(() -> {
            Req r = baseline(op, deep, "body:bom-prefix");
            byte[] g = good.getBytes(UTF_8);
            byte[] b = new byte[g.length + 3];
            b[0] = (byte) 0xEF;
            b[1] = (byte) 0xBB;
            b[2] = (byte) 0xBF;
            System.arraycopy(g, 0, b, 3, g.length);
            r.body = b;
            return r;
        });
        v.add(() -> {
            Req r = baseline(op, deep, "body:raw-nul-byte-outside-string");
            r.body = (good.substring(0, 1) + "\u0000" + good.substring(1)).getBytes(UTF_8);
            return r.expect(BAD_REQUEST);
        });
        for (byte[] bad : List.of(new byte[] { (byte) 0xC3, 0x28 }, new byte[] { (byte) 0xFF, (byte) 0xFE },
                new byte[] { (byte) 0xC0, (byte) 0xAF }, new byte[] { (byte) 0x80 }, new byte[] { (byte) 0xE2, (byte) 0x82 },
                new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, new byte[] { (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80 })) {
            String label = hex(bad);
            v.add(() -> {
                Req r = baseline(op, deep, "body:invalid-utf8-in-string:" + label);
                Field f = firstStringField(op);
                var b = baselineBody(op);
                String key = f != null ? f.name() : "zz";
                b.put(key, "\"ab@@BAD@@cd\"");
                r.json(obj(b));
                r.body = splice(r.body, "@@BAD@@", bad);
                return r.expect(BAD_REQUEST);
            });
            v.add(() -> {
                Req r = baseline(op, deep, "body:invalid-utf8-outside-string:" + label);
                r.body = splice(("{@@BAD@@" + good.substring(1)).getBytes(UTF_8), "@@BAD@@", bad);
                r.contentType = "application/json";
                return r.expect(BAD_REQUEST);
            });
        }

        // Media types.
        for (String ct : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=zz", "application/octet-stream", "garbage", "application/jsonx",
                "text/json")) {
            v.add(() -> {
                Req r = baseline(op, deep, "content-type:" + ct);
                r.contentType = ct;
                return r.expect(Set.of(415));
            });
        }
        for (String ct : List.of("NONE", "application/json; charset=utf-16", "application/json; charset=latin1",
                "APPLICATION/JSON", "application/merge-patch+json", "application/problem+json")) {
            v.add(() -> {
                Req r = baseline(op, deep, "content-type:" + ct);
                r.contentType = ct.equals("NONE") ? null : ct;
                return r;
            });
        }

        // Over the body limit: 413, without the body echoed.
        v.add(() -> {
            Req r = baseline(op, deep, "body:over-1MiB");
            var b = baselineBody(op);
            String huge = plant(r, marker()) + randomAscii(OVER_BODY_LIMIT);
            plant(r, huge.substring(huge.length() - 48));
            Field f = firstStringField(op);
            b.put(f != null ? f.name() : "zz", js(huge));
            return r.json(obj(b)).expect(Set.of(413));
        });

        // One field broken at a time.
        for (Field f : op.fields()) {
            v.add(() -> {
                Req r = baseline(op, deep, "field:" + f.name() + ":missing");
                var b = baselineBody(op);
                b.remove(f.name());
                return r.json(obj(b)).expect(create && f.required() ? BAD_REQUEST : null);
            });
            for (String[] value : fieldValues(f)) {
                v.add(() -> {
                    Req r = baseline(op, deep, "field:" + f.name() + ":" + value[0]);
                    var b = baselineBody(op);
                    b.put(f.name(), value[2].replace("MARKER", plant(r, marker())));
                    r.json(obj(b));
                    if (value[2].startsWith("\"HUGE:")) {
                        int n = Integer.parseInt(value[2].substring(6, value[2].length() - 1));
                        String huge = (plant(r, marker()) + randomAscii(n)).substring(0, n);
                        plant(r, huge.substring(Math.max(0, huge.length() - 48)));
                        b.put(f.name(), js(huge));
                        r.json(obj(b));
                    }
                    r.expect = expectSet(value[1]);
                    if ("null".equals(value[2]) && f.required()) {
                        r.expect = BAD_REQUEST;
                    }
                    return r;
                });
            }
        }
        return v;
    }

    /** {label, expectation, raw JSON value} for a field; MARKER in the raw value becomes a planted marker. */
    private static List<String[]> fieldValues(Field f) {
        List<String[]> v = new ArrayList<>();
        // Wrong JSON types.
        if (f.isString()) {
            for (String raw : List.of("123", "-1", "1.5", "1e309", "9223372036854775808", "true", "false", "{}",
                    "{\"MARKER\":\"MARKER\"}", "[]", "[\"MARKER\"]", "[[[]]]")) {
                v.add(new String[] { "type:" + raw, "400", raw });
            }
        } else if (f.isInteger()) {
            for (String raw : List.of("\"42\"", "\"MARKER\"", "\"\"", "true", "{}", "{\"a\":1}", "[]", "[1]", "1.5",
                    "1.0", "1e2", "-0.0")) {
                v.add(new String[] { "type:" + raw, "400", raw });
            }
        } else {
            for (String raw : List.of("123", "\"MARKER\"", "true", "{}", "[]")) {
                v.add(new String[] { "type:" + raw, "", raw });
            }
        }
        v.add(new String[] { "null", "", "null" });
        // Numbers out of range (wrong type for strings, out of range for integers).
        for (String raw : List.of("1e309", "-1e309", "1E-400", "2147483648", "-2147483649", "9223372036854775807",
                "9223372036854775808", "-9223372036854775809", "18446744073709551616", "9".repeat(1200))) {
            v.add(new String[] { "number:" + abbreviate(raw, 24), f.isString() || outOfRange(f, raw) ? "400" : "", raw });
        }
        if (f.isInteger()) {
            Long min = f.schema().has("minimum") ? f.schema().get("minimum").asLong() : null;
            Long max = f.schema().has("maximum") ? f.schema().get("maximum").asLong() : null;
            v.add(new String[] { "number:-1", min != null && min > -1 ? "400" : "", "-1" });
            v.add(new String[] { "number:0", min != null && min > 0 ? "400" : "", "0" });
            v.add(new String[] { "number:-0", min != null && min > 0 ? "400" : "", "-0" });
            if (max != null) {
                v.add(new String[] { "number:max+1", "400", String.valueOf(max + 1) });
                v.add(new String[] { "number:max", "", String.valueOf(max) });
            }
            if (min != null) {
                v.add(new String[] { "number:min-1", "400", String.valueOf(min - 1) });
            }
        }
        if (!f.isString()) {
            return v;
        }
        // Huge strings and lengths at the limit.
        Long maxLength = f.maxLength();
        v.add(new String[] { "string:huge-100KB", maxLength != null ? "400" : "", "\"HUGE:" + HUGE + "\"" });
        if (maxLength != null) {
            v.add(new String[] { "string:maxLength+1", "400", "\"HUGE:" + (maxLength + 1) + "\"" });
            if (!f.isEmail() && !f.hasEnum()) {
                v.add(new String[] { "string:maxLength", "", js("a".repeat(maxLength.intValue())) });
                v.add(new String[] { "string:maxLength-emoji", "", js("\uD83D\uDE00".repeat(maxLength.intValue() / 2)) });
                v.add(new String[] { "string:maxLength+1-emoji", "400",
                        js("\uD83D\uDE00".repeat(maxLength.intValue() / 2) + "a") });
            }
        }
        // Unicode edge cases, each with a planted marker. An unpaired surrogate is no Unicode text:
        // UTF-8 cannot carry it and PostgreSQL would store '?' instead, so it must be refused (400)
        // like NUL, never silently changed.
        List<String[]> unicode = List.of(
                new String[] { "emoji", "MARKER \uD83D\uDE00\uD83D\uDC69\u200D\u2695\uFE0F\uD83C\uDFE5" },
                new String[] { "rtl-override", "MARKER \u202Eevil\u202C \u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627" },
                new String[] { "combining-marks", "MARKER Z" + "\u0351\u0352\u0353\u0354\u0355".repeat(40) },
                new String[] { "zero-width", "MARKER\u200B\u200C\u200D\u2060" },
                new String[] { "bom", "\uFEFFMARKER" },
                new String[] { "lone-high-surrogate", "MARKER\uD800", "400" },
                new String[] { "lone-low-surrogate", "MARKER\uDFFF", "400" },
                new String[] { "reversed-surrogates", "MARKER\uDC00\uD800", "400" },
                new String[] { "controls", "MARKER\u0001\u0007\u001B[31m\u007F" },
                new String[] { "line-separators", "MARKER\u2028\u2029\r\n\t" },
                new String[] { "noncharacters", "MARKER\uFFFF\uFFFE" },
                new String[] { "fullwidth", "MARKER\uFF21\uFF44\uFF4D\uFF49\uFF4E" },
                new String[] { "html", "MARKER<script>alert(1)</script><html>" },
                new String[] { "sql", "MARKER'); DROP TABLE patients; --" },
                new String[] { "format-string", "MARKER %s %n %x ${jndi:ldap://x} #{1+1}" },
                new String[] { "only-spaces", "   " },
                new String[] { "nbsp-only", "\u00A0\u00A0" },
                new String[] { "empty", "" });
        for (String[] u : unicode) {
            String raw = "\"" + jsInner(u[1].replace("MARKER", "\u0000M\u0000")).replace("\\u0000M\\u0000", "MARKER") + "\"";
            v.add(new String[] { "unicode:" + u[0], u.length > 2 ? u[2] : "", raw });
        }
        v.add(new String[] { "unicode:nul", "400", "\"MARKER\\u0000\"" });
        v.add(new String[] { "unicode:nul-only", "400", "\"\\u0000\"" });
        v.add(new String[] { "unicode:raw-control-char", "400", "\"MARKER\u0001\"" });
        v.add(new String[] { "unicode:bad-escape", "400", "\"MARKER\\x41\"" });
        v.add(new String[] { "unicode:short-escape", "400", "\"MARKER\\u12\"" });
        if (f.hasEnum()) {
            v.add(new String[] { "enum:unknown", "400", "\"MARKER\"" });
            v.add(new String[] { "enum:case", "", js(f.schema().get("enum").get(0).asText().toUpperCase(Locale.ROOT)) });
        }
        if (f.isEmail()) {
            String expect = "email".equals(f.schema().path("format").asText()) ? "400" : "";
            v.add(new String[] { "email:not-an-email", expect, "\"MARKER-not-an-email\"" });
            v.add(new String[] { "email:two-ats", expect, "\"MARKER@a@example.com\"" });
        }
        return v;
    }

    /** Whether this JSON number can never be a valid value of the integer field (format, minimum, maximum). */
    private static boolean outOfRange(Field f, String raw) {
        if (!f.isInteger()) {
            return false;
        }
        java.math.BigInteger x;
        try {
            x = new java.math.BigInteger(raw);
        } catch (NumberFormatException e) {
            return true; // a fraction or exponent is not an integer
        }
        String format = f.schema().path("format").asText();
        long lo = "int32".equals(format) ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long hi = "int32".equals(format) ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (f.schema().has("minimum")) {
            lo = Math.max(lo, f.schema().get("minimum").asLong());
        }
        if (f.schema().has("maximum")) {
            hi = Math.min(hi, f.schema().get("maximum").asLong());
        }
        return x.compareTo(java.math.BigInteger.valueOf(lo)) < 0 || x.compareTo(java.math.BigInteger.valueOf(hi)) > 0;
    }

    /**
     * 405 for every method a path does not support; OPTIONS and TRACE only need to be harmless.
     * By path (its first operation's template), each path's probes one dynamic test.
     */
    Map<String, List<Req>> methodProbes(List<Op> ops) {
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        Map<String, Op> sample = new LinkedHashMap<>();
        for (Op op : ops) {
            String key = op.template().replaceAll("\\{[^}]+}", "{}");
            allowed.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(op.method());
            sample.putIfAbsent(key, op);
        }
        Map<String, List<Req>> out = new LinkedHashMap<>();
        for (var e : allowed.entrySet()) {
            Op op = sample.get(e.getKey());
            List<Req> probes = out.computeIfAbsent(op.template(), k -> new ArrayList<>());
            for (String m : List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE")) {
                if (e.getValue().contains(m)) {
                    continue;
                }
                Op probe = new Op(m, op.template(), op.secured(), op.params(), List.of(), false);
                Req r = new Req(probe, "method:" + m, e.getKey().startsWith("/api/users") ? fx.adminAuth : fx.userAuth);
                for (Param p : op.params("path")) {
                    r.pathValues.put(p.name(), "9223372036854775807");
                }
                if (BODY_METHODS.contains(m)) {
                    r.json("{}");
                }
                r.expect = m.equals("OPTIONS") || m.equals("TRACE") ? null : Set.of(405);
                probes.add(r);
            }
        }
        out.values().removeIf(List::isEmpty);
        return out;
    }

    // ------------------------------------------------------------------ random stacking

    /**
     * One of the operation's variants with 1 to 3 random mutations stacked on it: only the
     * invariants hold, no expected status.
     */
    Req stacked(List<Supplier<Req>> pool) {
        Req r = pool.get(rnd.nextInt(pool.size())).get();
        r.expect = null;
        int extra = 1 + rnd.nextInt(3);
        for (int k = 0; k < extra; k++) {
            mutateRandomly(r);
        }
        return r;
    }

    private void mutateRandomly(Req r) {
        switch (rnd.nextInt(7)) {
            case 0 -> {
                // Through forOperation, as in the sweep: a logout as the admin or the fuzz user
                // would otherwise end the session every later operation's token belongs to.
                r.auth = fx.forOperation(r.op, fx.auths.get(rnd.nextInt(fx.auths.size())));
                r.variant += "+auth:" + r.auth.name();
            }
            case 1 -> {
                if (r.body != null && r.body.length > 0 && r.body.length < 200_000) {
                    r.body = mutateBytes(r.body);
                    r.variant += "+bytes";
                } else {
                    r.query.add(new String[] { "size", String.valueOf(rnd.nextInt(1200) - 100) });
                    r.variant += "+size";
                }
            }
            case 2 -> {
                String[] names = { "page", "size", "sort", "q", "scope" };
                String[] values = { "-1", "0", "abc", "%00", "999999999999", "name", "-createdAt", "all", plant(r, marker()) };
                r.query.add(new String[] { names[rnd.nextInt(names.length)], values[rnd.nextInt(values.length)] });
                r.variant += "+query";
            }
            case 3 -> {
                String[] cts = { "text/plain", "application/json", null, "application/xml", "application/json;charset=utf-16" };
                r.contentType = cts[rnd.nextInt(cts.length)];
                r.variant += "+content-type:" + r.contentType;
            }
            case 4 -> {
                String[] ids = { "0", "-5", "abc", "9223372036854775808", "%00", "1.0" };
                for (String k : new ArrayList<>(r.pathValues.keySet())) {
                    r.pathValues.put(k, ids[rnd.nextInt(ids.length)]);
                }
                r.variant += "+ids";
            }
            case 5 -> {
                String[] hs = { "If-Match", "Accept", "Content-Encoding", "X-Forwarded-For", "Accept-Charset" };
                String[] vs = { "\"1\"", "text/html", "gzip", "garbage", "*", plant(r, marker()) };
                String h = hs[rnd.nextInt(hs.length)];
                r.headers.put(h, vs[rnd.nextInt(vs.length)]);
                r.variant += "+header:" + h;
            }
            default -> {
                if (r.body != null && r.body.length > 0 && r.body.length < 200_000) {
                    String text = new String(r.body, UTF_8);
                    int at = text.indexOf(':');
                    if (at > 0) {
                        String[] inserts = { "[", "{", "null", "\"" + plant(r, marker()) + "\"", "1e999", "-", "\\u0000" };
                        text = text.substring(0, at + 1) + inserts[rnd.nextInt(inserts.length)] + text.substring(at + 1);
                        r.body = text.getBytes(UTF_8);
                        r.variant += "+splice";
                    }
                }
            }
        }
    }

    private byte[] mutateBytes(byte[] in) {
        byte[] b = in.clone();
        int n = 1 + rnd.nextInt(4);
        byte[] interesting = { '{', '}', '[', ']', '"', ':', ',', '\\', 0, (byte) 0x80, (byte) 0xFF, (byte) 0xC3, '0', '-' };
        for (int i = 0; i < n; i++) {
            int at = rnd.nextInt(b.length);
            b[at] = rnd.nextBoolean() ? interesting[rnd.nextInt(interesting.length)] : (byte) rnd.nextInt(256);
        }
        return b;
    }

    // ------------------------------------------------------------------ small helpers

    private Set<Integer> expectSet(String spec) {
        if (spec == null || spec.isEmpty()) {
            return null;
        }
        Set<Integer> s = new LinkedHashSet<>();
        for (String x : spec.split("\\|")) {
            s.add(Integer.parseInt(x));
        }
        return s;
    }

    private String marker() {
        return marker(rnd);
    }

    /** A value no response may echo; the checks look for it in every error body. */
    static String marker(Random rnd) {
        return "ZZ-ECHO-" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36);
    }

    private static String plant(Req r, String value) {
        r.planted.add(value);
        return value;
    }

    private String randomAscii(int n) {
        return randomAscii(rnd, n);
    }

    static String randomAscii(Random rnd, int n) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static boolean hasRequired(Op op) {
        return op.fields().stream().anyMatch(Field::required);
    }

    private static String firstFieldName(Op op) {
        return op.fields().isEmpty() ? "zz" : op.fields().get(0).name();
    }

    private static Field firstStringField(Op op) {
        return op.fields().stream().filter(Field::isString).findFirst().orElse(null);
    }

    private static String dupKey(String obj) {
        int colon = obj.indexOf(':');
        int comma = obj.indexOf(',');
        if (colon < 0) {
            return "{\"a\":1,\"a\":2}";
        }
        String firstPair = obj.substring(1, comma > 0 ? comma : obj.length() - 1);
        return "{" + firstPair + "," + obj.substring(1);
    }

    /** A JSON object from field name to raw JSON value. */
    static String obj(Map<String, String> raw) {
        StringBuilder sb = new StringBuilder("{");
        for (var e : raw.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(js(e.getKey())).append(':').append(e.getValue());
        }
        return sb.append('}').toString();
    }

    /** A JSON string literal; controls and every surrogate are written as escapes, so lone surrogates survive. */
    static String js(String s) {
        return "\"" + jsInner(s) + "\"";
    }

    static String jsInner(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                sb.append("\\\"");
            } else if (c == '\\') {
                sb.append("\\\\");
            } else if (c < 0x20 || c == 0x7F || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static byte[] splice(byte[] body, String placeholder, byte[] with) {
        byte[] p = placeholder.getBytes(UTF_8);
        for (int i = 0; i + p.length <= body.length; i++) {
            boolean match = true;
            for (int j = 0; j < p.length && match; j++) {
                match = body[i + j] == p[j];
            }
            if (match) {
                byte[] out = new byte[body.length - p.length + with.length];
                System.arraycopy(body, 0, out, 0, i);
                System.arraycopy(with, 0, out, i, with.length);
                System.arraycopy(body, i + p.length, out, i + with.length, body.length - i - p.length);
                return out;
            }
        }
        return body;
    }

    /** The id in Arabic-Indic digits, percent-encoded (Java's Long.parseLong reads them as digits). */
    private static String arabicDigits(String id) {
        StringBuilder sb = new StringBuilder();
        for (char c : id.toCharArray()) {
            sb.append(Character.isDigit(c) ? String.valueOf((char) ('\u0660' + (c - '0'))) : String.valueOf(c));
        }
        return java.net.URLEncoder.encode(sb.toString(), UTF_8);
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02X", x));
        }
        return sb.toString();
    }

    static String abbreviate(String s, int max) {
        String oneLine = s.replace("\n", "\\n").replace("\r", "\\r");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "…(" + s.length() + " chars)";
    }
}
