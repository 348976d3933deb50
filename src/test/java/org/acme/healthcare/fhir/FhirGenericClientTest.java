package org.acme.healthcare.fhir;

import static org.acme.healthcare.support.Api.as;
import static org.acme.healthcare.support.Api.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.acme.healthcare.support.Api.TestUser;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The service as HAPI FHIR's own generic client sees it: capability check, read, vread, search,
 * paging via next. HAPI's client follows only absolute links, so this runs with a public base URL
 * configured (as a deployment behind a FHIR client would), on a fixed port that the URL names.
 */
@QuarkusTest
@TestProfile(FhirGenericClientTest.PublicUrl.class)
class FhirGenericClientTest {
    static final int PORT = 18161;

    public static class PublicUrl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.test-port", String.valueOf(PORT),
                    "healthcare.public-url", "http://localhost:" + PORT + "/");
        }
    }

    @TestHTTPResource("/fhir")
    URL base;

    private IGenericClient client(TestUser user) {
        FhirContext ctx = FhirContext.forR4Cached();
        // The client reads /fhir/metadata first and checks the FHIR version, as against any server.
        ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.ONCE);
        IGenericClient client = ctx.newRestfulGenericClient(base.toString());
        if (user != null) {
            client.registerInterceptor(new BearerTokenAuthInterceptor(user.token()));
        }
        return client;
    }

    @Test
    void readSearchAndPageLikeAnyFhirServer() {
        TestUser owner = newUser();
        String family = "Gc" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (String given : List.of("Ann", "Bea", "Cia", "Dee", "Eve")) {
            ids.add(String.valueOf(as(owner).body(Map.of("name", given + " " + family, "gender", "female"))
                    .post("/api/patients").then().statusCode(201).extract().jsonPath().getLong("id")));
        }
        IGenericClient client = client(owner);

        CapabilityStatement cs = client.capabilities().ofType(CapabilityStatement.class).execute();
        assertEquals("4.0.1", cs.getFhirVersion().toCode());

        Patient read = client.read().resource(Patient.class).withId(ids.get(0)).execute();
        assertEquals("Ann " + family, read.getNameFirstRep().getText());
        assertEquals(AdministrativeGender.FEMALE, read.getGender());
        assertEquals("0", read.getMeta().getVersionId());

        Patient version = client.read().resource(Patient.class).withIdAndVersion(ids.get(1), "0").execute();
        assertEquals("Bea " + family, version.getNameFirstRep().getText());

        Bundle page = client.search().forResource(Patient.class).where(Patient.NAME.matches().value(family))
                .and(Patient.GENDER.exactly().code("female")).count(2).returnBundle(Bundle.class).execute();
        assertEquals(5, page.getTotal());
        assertEquals("http://localhost:" + PORT + "/fhir/Patient/" + ids.get(0), page.getEntryFirstRep().getFullUrl());
        List<String> seen = new ArrayList<>();
        int pages = 0;
        while (page != null) {
            pages++;
            page.getEntry().forEach(e -> seen.add(e.getResource().getIdElement().getIdPart()));
            page = page.getLink(Bundle.LINK_NEXT) == null ? null : client.loadPage().next(page).execute();
        }
        assertEquals(3, pages);
        assertEquals(ids, seen);

        assertThrows(ResourceNotFoundException.class,
                () -> client(newUser()).read().resource(Patient.class).withId(ids.get(0)).execute());
        assertThrows(AuthenticationException.class, () -> client(null).read().resource(Patient.class).withId(ids.get(0)).execute());
        Bundle none = client.search().forResource(Patient.class).where(Patient.NAME.matches().value("Zz" + family))
                .returnBundle(Bundle.class).execute();
        assertEquals(0, none.getTotal());
        assertNull(none.getLink(Bundle.LINK_NEXT));
        assertNotNull(none.getLink(Bundle.LINK_SELF));
    }
}
