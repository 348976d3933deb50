package org.acme.healthcare.export;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code _elements} (Bulk Data 2.0): only the listed top-level elements ({@code name}, or
 * {@code Type.name} for one resource type) are kept, with what every resource needs
 * ({@code resourceType}, {@code id}, {@code meta}) and the elements the base resource requires
 * ({@code Condition.subject}); the resource is tagged {@code SUBSETTED}, as FHIR says a summary or
 * subset must be, so that nobody takes it for the whole record, and no longer claims its US Core
 * profile (a subset does not conform to it).
 */
final class ExportElements {
    static final ExportElements ALL = new ExportElements(null);
    static final String SUBSETTED_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    private static final Set<String> ALWAYS = Set.of("resourceType", "id", "meta");
    /** Elements with a minimum cardinality of 1 in the base R4 resources exported. */
    private static final Map<String, Set<String>> REQUIRED = Map.of("Condition", Set.of("subject"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> elements;

    private ExportElements(List<String> elements) {
        this.elements = elements;
    }

    static ExportElements of(List<String> elements) {
        return elements == null || elements.isEmpty() ? ALL : new ExportElements(elements);
    }

    /** The resource's JSON with only the elements asked for. */
    String apply(String json) {
        if (elements == null) {
            return json;
        }
        try {
            ObjectNode resource = (ObjectNode) JSON.readTree(json);
            String type = resource.path("resourceType").asText();
            Set<String> required = REQUIRED.getOrDefault(type, Set.of());
            resource.retain(resource.properties().stream().map(Map.Entry::getKey)
                    .filter(name -> ALWAYS.contains(name) || required.contains(name) || elements.contains(name)
                            || elements.contains(type + "." + name))
                    .toList());
            ObjectNode meta = resource.has("meta") ? (ObjectNode) resource.get("meta") : resource.putObject("meta");
            // A subset does not conform to the profile the whole resource claims.
            meta.remove("profile");
            ArrayNode tags = meta.has("tag") ? (ArrayNode) meta.get("tag") : meta.putArray("tag");
            tags.addObject().put("system", SUBSETTED_SYSTEM).put("code", "SUBSETTED");
            return JSON.writeValueAsString(resource);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the mapper's JSON did not parse", e);
        }
    }
}
