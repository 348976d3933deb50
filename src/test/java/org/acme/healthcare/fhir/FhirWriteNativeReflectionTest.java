package org.acme.healthcare.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.acme.healthcare.condition.ConditionCode;
import org.acme.healthcare.condition.ConditionResponse;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The write side's model classes are registered for native images too: those HAPI builds when it
 * parses what a FHIR client sends (a US Core Patient with its extensions, a Condition, a transaction
 * Bundle) and those of the answers (a Condition, a transaction-response with an outcome).
 */
class FhirWriteNativeReflectionTest {
    static final String PATIENT = "{\"resourceType\":\"Patient\",\"id\":\"1\",\"meta\":{\"versionId\":\"1\",\"profile\":["
            + "\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient\"]},\"extension\":[{\"url\":"
            + "\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race\",\"extension\":[{\"url\":\"ombCategory\","
            + "\"valueCoding\":{\"system\":\"urn:oid:2.16.840.1.113883.6.238\",\"code\":\"2106-3\"}},{\"url\":\"text\","
            + "\"valueString\":\"White\"}]},{\"url\":\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex\","
            + "\"valueCode\":\"F\"},{\"url\":\"http://hl7.org/fhir/StructureDefinition/patient-birthPlace\",\"valueAddress\":"
            + "{\"city\":\"Boston\"}},{\"url\":\"http://synthetichealth.github.io/synthea/disability-adjusted-life-years\","
            + "\"valueDecimal\":0.5}],\"identifier\":[{\"type\":{\"coding\":[{\"system\":"
            + "\"http://terminology.hl7.org/CodeSystem/v2-0203\",\"code\":\"MR\"}]},\"system\":\"http://hospital.example.org\","
            + "\"value\":\"1\",\"period\":{\"start\":\"2000-01-01\"}}],\"name\":[{\"use\":\"official\",\"family\":\"Doe\","
            + "\"given\":[\"Jane\"],\"prefix\":[\"Ms.\"]}],\"telecom\":[{\"system\":\"phone\",\"value\":\"555\",\"use\":\"home\"}],"
            + "\"gender\":\"female\",\"birthDate\":\"1984-03-07\",\"deceasedBoolean\":false,\"address\":[{\"extension\":[{\"url\":"
            + "\"http://hl7.org/fhir/StructureDefinition/geolocation\",\"extension\":[{\"url\":\"latitude\",\"valueDecimal\":42.1}]}],"
            + "\"line\":[\"1 Main St\"],\"city\":\"Boston\",\"state\":\"MA\",\"postalCode\":\"02100\",\"country\":\"US\"}],"
            + "\"maritalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus\",\"code\":\"M\"}]},"
            + "\"multipleBirthBoolean\":false,\"communication\":[{\"language\":{\"coding\":[{\"system\":\"urn:ietf:bcp:47\","
            + "\"code\":\"en-US\"}]}}],\"managingOrganization\":{\"reference\":\"Organization/1\"}}";
    static final String CONDITION = "{\"resourceType\":\"Condition\",\"clinicalStatus\":{\"coding\":[{\"system\":"
            + "\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"resolved\"}]},\"verificationStatus\":"
            + "{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-ver-status\",\"code\":\"confirmed\"}]},"
            + "\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-category\",\"code\":"
            + "\"encounter-diagnosis\"}]}],\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"44054006\"}],"
            + "\"text\":\"Diabetes\"},\"subject\":{\"reference\":\"urn:uuid:1\"},\"encounter\":{\"reference\":\"urn:uuid:2\"},"
            + "\"onsetDateTime\":\"2015-03-12T10:31:03-04:00\",\"abatementDateTime\":\"2019-01-01\",\"recordedDate\":"
            + "\"2015-03-12T10:31:03-04:00\"}";

    @Test
    void everyModelClassAWriteReadsOrAnswersIsRegistered() {
        FhirContext ctx = FhirContext.forR4Cached();
        String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"urn:uuid:1\","
                + "\"resource\":" + PATIENT + ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\",\"ifNoneExist\":\"identifier=a|b\"}},"
                + "{\"resource\":" + CONDITION + ",\"request\":{\"method\":\"PUT\",\"url\":\"Condition/1\",\"ifMatch\":\"W/\\\"1\\\"\"}}]}";
        Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        response.addEntry().setFullUrl("urn:uuid:x").setResource(FhirMapper.condition(new ConditionResponse(1L, 2L,
                new ConditionCode("http://snomed.info/sct", "44054006", "Diabetes"), "text", "problem-list-item", "resolved",
                "confirmed", LocalDate.of(2019, 1, 1), LocalDate.of(2020, 1, 1), Instant.now(), 3L, 0, Instant.now(), Instant.now())))
                .getResponse().setStatus("201 Created").setLocation("Condition/1/_history/0").setEtag("W/\"0\"")
                .setLastModified(new java.util.Date());
        response.addEntry().getResponse().setStatus("422 Unprocessable Entity").setOutcome(
                FhirInvalid.unprocessable("birthDate", "is in the future").outcome("Bundle.entry[1].resource"));
        List<Resource> all = List.of((Resource) ctx.newJsonParser().parseResource(transaction), response);

        Set<Class<?>> registered = Set.copyOf(Arrays.asList(FhirNativeReflection.class.getAnnotation(RegisterForReflection.class).targets()));
        Set<String> missing = new TreeSet<>();
        for (Resource r : all) {
            for (IBase element : ctx.newTerser().getAllPopulatedChildElementsOfType(r, IBase.class)) {
                if (!covered(element.getClass(), registered)) {
                    missing.add(element.getClass().getName());
                }
            }
        }
        assertEquals(Set.of(), missing, "add to FhirNativeReflection");
    }

    private static boolean covered(Class<?> type, Set<Class<?>> registered) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (registered.contains(c)) {
                return true;
            }
        }
        return false;
    }
}
