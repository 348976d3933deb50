package org.acme.healthcare.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hl7.fhir.r4.model.ResourceType;

/**
 * SMART system scopes (App Launch 2.0, "Scopes for requesting FHIR resources"): {@code
 * system/<Type|*>.<permissions>}. System tokens only ever read, so the only permissions that count
 * are read ({@code r}) and search ({@code s}):
 * <ul>
 * <li>held by a client (registration): v2 {@code .rs}, {@code .r} or {@code .s}, or v1 {@code .read};
 * anything else is refused;</li>
 * <li>asked for at the token endpoint: any well-formed v1 ({@code read}, {@code write}, {@code *}) or
 * v2 ({@code c?r?u?d?s?}) scope of a FHIR R4 resource type or {@code *}; each is intersected with
 * what the client holds, and its write part is never granted. A scope that is not a system scope
 * ({@code launch}, {@code patient/*.rs}), names no FHIR resource type, has an unknown action or
 * a granular {@code ?} query makes the whole request {@code invalid_scope}; so does a grant that
 * comes to nothing.</li>
 * </ul>
 * A granted scope keeps the version it was asked in ({@code system/Patient.read} stays v1 when both
 * read and search are granted), as BDT's "mixed v1 and v2 scopes" expects.
 */
public final class SmartScopes {
    /** Longest scope string a client may hold or ask for. */
    static final int MAX_LENGTH = 2000;
    private static final Pattern SCOPE = Pattern.compile("system/(\\*|[A-Za-z]{1,64})\\.([a-z*]{1,16})");
    private static final Pattern V2 = Pattern.compile("c?r?u?d?s?");

    private SmartScopes() {
    }

    /** One scope's resource type ({@code *}: every type) and what it allows; {@code v1}: written as {@code .read}. */
    public record Scope(String type, boolean read, boolean search, boolean v1) {
        boolean empty() {
            return !read && !search;
        }

        /** This scope covers reading ({@code 'r'}) or searching ({@code 's'}) resources of {@code resourceType}. */
        public boolean allows(String resourceType, char interaction) {
            return (type.equals("*") || type.equals(resourceType)) && (interaction == 'r' ? read : interaction == 's' && search);
        }

        @Override
        public String toString() {
            String perms = v1 && read && search ? "read" : (read ? "r" : "") + (search ? "s" : "");
            return "system/" + type + "." + perms;
        }
    }

    /** A scope string that is not acceptable, with a reason the client can act on. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The scopes a client registers: each {@code system/<Type|*>.rs|.r|.s|.read}; normalised
     * (duplicates dropped, single spaces).
     */
    public static String registered(String scope) throws Invalid {
        List<String> words = words(scope);
        if (words.isEmpty()) {
            throw new Invalid("must name at least one system scope, such as system/*.rs");
        }
        Map<String, Scope> held = new LinkedHashMap<>();
        for (String word : words) {
            Scope s = parse(word);
            if (s == null || s.empty() || !isReadOnly(word)) {
                throw new Invalid("must be SMART system read scopes (system/<Type or *>.rs, .r, .s or v1 .read)");
            }
            held.merge(s.toString(), s, (a, b) -> a);
        }
        return String.join(" ", held.keySet());
    }

    /** The scopes a token carries (its {@code scope} claim), as issued by {@link #grant}; malformed words are ignored. */
    public static List<Scope> granted(String scope) {
        return words(scope).stream().map(SmartScopes::parse).filter(s -> s != null && !s.empty()).toList();
    }

    /** What {@code asked} ∩ {@code held} grants, as a scope string; {@link Invalid} when it is malformed or comes to nothing. */
    public static String grant(String asked, String held) throws Invalid {
        List<String> words = words(asked);
        if (words.isEmpty()) {
            throw new Invalid("No scope was asked for.");
        }
        List<Scope> holds = granted(held);
        Map<String, Scope> grants = new LinkedHashMap<>();
        for (String word : words) {
            Scope want = parse(word);
            if (want == null) {
                throw new Invalid("Only SMART system scopes (system/<FHIR resource type or *>.<permissions>) are granted.");
            }
            for (Scope h : holds) {
                if (!want.type().equals("*") && !h.type().equals("*") && !h.type().equals(want.type())) {
                    continue;
                }
                // The narrower type of the two, and the permissions both allow.
                String type = want.type().equals("*") ? h.type() : want.type();
                Scope g = new Scope(type, want.read() && h.read(), want.search() && h.search(), want.v1());
                if (!g.empty()) {
                    grants.merge(type, g, (a, b) -> new Scope(type, a.read() || b.read(), a.search() || b.search(), a.v1() && b.v1()));
                }
            }
        }
        if (grants.isEmpty()) {
            throw new Invalid("None of the scopes asked for is held by this client, or they ask only for writes.");
        }
        return String.join(" ", grants.values().stream().map(Scope::toString).toList());
    }

    /** {@code word} as a scope (its read and search parts; a write-only scope comes out empty); null when malformed. */
    static Scope parse(String word) {
        Matcher m = SCOPE.matcher(word);
        if (!m.matches() || !isResourceType(m.group(1))) {
            return null;
        }
        String type = m.group(1);
        String perms = m.group(2);
        return switch (perms) {
            case "read", "*" -> new Scope(type, true, true, true);
            case "write" -> new Scope(type, false, false, true);
            default -> V2.matcher(perms).matches()
                    ? new Scope(type, perms.indexOf('r') >= 0, perms.indexOf('s') >= 0, false)
                    : null;
        };
    }

    private static boolean isReadOnly(String word) {
        String perms = word.substring(word.lastIndexOf('.') + 1);
        return perms.equals("read") || perms.equals("r") || perms.equals("s") || perms.equals("rs");
    }

    private static boolean isResourceType(String type) {
        if (type.equals("*")) {
            return true;
        }
        try {
            ResourceType.fromCode(type);
            return true;
        } catch (RuntimeException e) { // FHIRException: not an R4 resource type
            return false;
        }
    }

    private static List<String> words(String scope) {
        return scope == null ? List.of() : List.of(scope.strip().split("[ ]+")).stream().filter(w -> !w.isEmpty()).toList();
    }

    /** The first granted scope that allows this interaction on this type. */
    public static Optional<Scope> allowing(List<Scope> scopes, String resourceType, char interaction) {
        return scopes.stream().filter(s -> s.allows(resourceType, interaction)).findFirst();
    }
}
