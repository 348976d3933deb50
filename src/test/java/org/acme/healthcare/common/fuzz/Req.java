package org.acme.healthcare.common.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.acme.healthcare.common.fuzz.Fixtures.Auth;
import org.acme.healthcare.common.fuzz.Operations.Op;

/** One request to send; {@code expect} (when set) is the set of acceptable statuses. */
final class Req {
    final Op op;
    String variant;
    String method;
    Auth auth;
    final Map<String, String> pathValues = new LinkedHashMap<>();
    final List<String[]> query = new ArrayList<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    String contentType;
    byte[] body;
    Set<Integer> expect;
    /** Values sent that no response may echo. */
    final List<String> planted = new ArrayList<>();
    String suffix = "";

    Req(Op op, String variant, Auth auth) {
        this.op = op;
        this.variant = variant;
        this.method = op.method();
        this.auth = auth;
    }

    Req expect(Set<Integer> statuses) {
        this.expect = statuses;
        return this;
    }

    Req json(String text) {
        this.contentType = "application/json";
        this.body = text.getBytes(UTF_8);
        return this;
    }

    String path() {
        String p = op.template();
        for (var e : pathValues.entrySet()) {
            p = p.replace("{" + e.getKey() + "}", e.getValue());
        }
        StringBuilder sb = new StringBuilder(p).append(suffix);
        String sep = "?";
        for (String[] q : query) {
            sb.append(sep).append(q[0]).append('=').append(q[1]);
            sep = "&";
        }
        return sb.toString();
    }
}
