package org.acme.healthcare.fhir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.acme.healthcare.ops.PublicUrl;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.Resource;

/**
 * Searchset bundles: {@code total}, the {@code self} and {@code next} links and each entry's
 * {@code fullUrl}. URLs start from the configured public base URL ({@code HEALTHCARE_PUBLIC_URL},
 * then {@code <base>/fhir/Patient/7}); without it they are relative to the FHIR base
 * ({@code Patient/7}, {@code Patient?_count=50&_offset=50}), which a client resolves against the
 * URL it asked (RFC 3986) and HAPI's client against its server base: the same address either way.
 * Never from the request's {@code Host} header.
 */
final class FhirBundles {

    private FhirBundles() {
    }

    static Bundle searchset(String type, FhirSearch search, long total, List<? extends Resource> resources) {
        Bundle bundle = new Bundle().setType(BundleType.SEARCHSET).setTotal((int) Math.min(total, Integer.MAX_VALUE));
        bundle.addLink().setRelation("self").setUrl(url(type, search.values, search.count, search.offset));
        long next = (long) search.offset + search.count;
        if (next < total && next <= FhirSearch.MAX_OFFSET) {
            bundle.addLink().setRelation("next").setUrl(url(type, search.values, search.count, (int) next));
        }
        for (Resource r : resources) {
            bundle.addEntry().setFullUrl(fullUrl(r.fhirType() + "/" + r.getIdPart())).setResource(r)
                    .getSearch().setMode(SearchEntryMode.MATCH);
        }
        return bundle;
    }

    /**
     * An entry's identity, which FHIR wants absolute: {@code <base>/fhir/Patient/7} under the public
     * base URL; without one, a name-based {@code urn:uuid} of {@code Patient/7} (the same for the
     * same resource every time) rather than a host taken from the request.
     */
    static String fullUrl(String relative) {
        return PublicUrl.base().map(b -> b + FhirErrors.BASE + "/" + relative)
                .orElseGet(() -> "urn:uuid:" + UUID.nameUUIDFromBytes(relative.getBytes(StandardCharsets.UTF_8)));
    }

    /** A path under the FHIR base ({@code Patient/7}), absolute when a public base URL is configured. */
    static String url(String relative) {
        return PublicUrl.base().map(b -> b + FhirErrors.BASE + "/" + relative).orElse(relative);
    }

    private static String url(String type, Map<String, List<String>> values, int count, int offset) {
        StringBuilder sb = new StringBuilder(type).append('?');
        values.forEach((k, vs) -> vs.forEach(v -> sb.append(encode(k)).append('=').append(encode(v)).append('&')));
        sb.append("_count=").append(count);
        if (offset > 0) {
            sb.append("&_offset=").append(offset);
        }
        return url(sb.toString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
