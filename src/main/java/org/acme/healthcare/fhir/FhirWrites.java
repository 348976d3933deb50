package org.acme.healthcare.fhir;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.Problem;
import org.acme.healthcare.common.ProblemMappers;
import org.acme.healthcare.condition.ConditionResponse;
import org.acme.healthcare.condition.ConditionService;
import org.acme.healthcare.patient.Identifier;
import org.acme.healthcare.patient.PatientAccess.Scope;
import org.acme.healthcare.patient.PatientResponse;
import org.acme.healthcare.patient.PatientService;
import org.acme.healthcare.user.CurrentUser;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIR writes of Patient and Condition, for the single-resource routes and for bundles alike:
 * each maps the resource onto the REST API's request ({@link FhirInbound}) and calls the REST
 * API's service, so the rules, access decisions, history and audit are the ones the REST API has,
 * and its answer is mapped back as the read side maps it. The services' transactions join a
 * bundle's when there is one. FHIR's weak {@code If-Match: W/"3"} is the REST API's {@code "3"}.
 */
@ApplicationScoped
public class FhirWrites {
    private static final Pattern PATIENT_REF = Pattern.compile("Patient/([1-9][0-9]{0,18})");

    private final PatientService patients;
    private final ConditionService conditions;
    private final CurrentUser caller;
    private final Validator validator;

    FhirWrites(PatientService patients, ConditionService conditions, CurrentUser caller, Validator validator) {
        this.patients = patients;
        this.conditions = conditions;
        this.caller = caller;
        this.validator = validator;
    }

    /** A write's answer: the resource as read now, its version, and whether it was created (201) or matched/changed (200). */
    public record Written(Resource resource, String type, long id, long version, java.time.Instant updatedAt, int status) {
        /** {@code Patient/12/_history/3}. */
        public String versionPath() {
            return type + "/" + id + "/_history/" + version;
        }
    }

    // ---------------------------------------------------------------- Patient

    /**
     * Creates the patient, or with {@code ifNoneExist} ({@code identifier=system|value}) answers the
     * one the caller may read that has that identifier (200; several: 412). Two conditional creates
     * of the same identifier at once: the loser's insert breaks the identifier's uniqueness, and it
     * looks again and answers the winner's record ({@code retryMatch}; in a bundle, the whole
     * transaction is retried instead).
     */
    public Written createPatient(Patient resource, String ifNoneExist, boolean retryMatch) {
        FhirInbound.Mapped<org.acme.healthcare.patient.PatientRequest> in = FhirInbound.patient(resource, false, validator);
        Identifier wanted = ifNoneExist == null ? null : conditional(ifNoneExist);
        if (wanted != null) {
            Optional<Written> existing = match(wanted);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        try {
            var p = patients.create(caller.id(), in.request());
            return patient(PatientResponse.from(p), 201);
        } catch (ApiException e) {
            throw FhirInbound.unprocessable(e, in.paths());
        } catch (RuntimeException e) {
            if (wanted != null && retryMatch && identifierTaken(e)) {
                Optional<Written> existing = match(wanted);
                if (existing.isPresent()) {
                    return existing.get();
                }
            }
            throw e;
        }
    }

    public Written updatePatient(long id, Patient resource, String ifMatch) {
        requireSameId(resource, id);
        var in = FhirInbound.patient(resource, true, validator);
        try {
            var p = patients.update(id, caller.id(), caller.isAdmin(), strong(ifMatch), in.request());
            return patient(PatientResponse.from(p), 200);
        } catch (ApiException e) {
            throw FhirInbound.unprocessable(e, in.paths());
        }
    }

    public void deletePatient(long id, String ifMatch) {
        patients.delete(id, caller.id(), caller.isAdmin(), strong(ifMatch));
    }

    public Written readPatient(long id) {
        return patient(PatientResponse.from(patients.read(id, caller.id(), caller.isAdmin())), 200);
    }

    private Written patient(PatientResponse p, int status) {
        return new Written(FhirMapper.patient(p), "Patient", p.id(), p.version(), p.updatedAt(), status);
    }

    /** The one patient the caller may read with this identifier; 412 when there are several. */
    private Optional<Written> match(Identifier wanted) {
        PageParams page = new PageParams();
        page.page = 0;
        page.size = 2;
        var found = patients.list(new Scope.Mine(), caller.id(), null, wanted, null, page);
        if (found.size() > 1) {
            throw new ApiException(Problem.Type.PRECONDITION_FAILED,
                    "If-None-Exist matches more than one patient; the create was not done.");
        }
        return found.stream().findFirst().map(p -> patient(PatientResponse.from(p), 200));
    }

    /** {@code identifier=system|value} (also {@code Patient?identifier=...}); anything else is a 400. */
    static Identifier conditional(String ifNoneExist) {
        String query = ifNoneExist.strip();
        if (query.startsWith("Patient?")) {
            query = query.substring("Patient?".length());
        }
        String value = query.startsWith("identifier=") ? query.substring("identifier=".length()) : null;
        int bar = value == null ? -1 : value.indexOf('|');
        if (value == null || value.contains("&") || bar <= 0 || bar == value.length() - 1) {
            throw new ApiException(Problem.Type.MALFORMED,
                    "If-None-Exist must be identifier=system|value (a system and a value, one identifier).");
        }
        String system = java.net.URLDecoder.decode(value.substring(0, bar), java.nio.charset.StandardCharsets.UTF_8);
        String code = java.net.URLDecoder.decode(value.substring(bar + 1), java.nio.charset.StandardCharsets.UTF_8);
        return new Identifier(system, code);
    }

    /** Whether a write failed on an identifier's uniqueness (V15's indexes). */
    static boolean identifierTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException c && c.getConstraintName() != null
                    && c.getConstraintName().startsWith("patient_identifiers_")) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- Condition

    /** {@code subject} resolves a reference ({@code urn:uuid:...} in a bundle) to {@code Patient/{id}}, or returns it as it is. */
    public Written createCondition(Condition resource, String ifNoneExist, UnaryOperator<String> subject) {
        if (ifNoneExist != null) {
            throw new ApiException(Problem.Type.MALFORMED, "Conditional create is supported for Patient (by identifier) only.");
        }
        var in = FhirInbound.condition(resource, false, validator);
        long patientId = patientOf(subject.apply(in.subject()));
        try {
            var c = conditions.create(patientId, caller.id(), caller.isAdmin(), in.request());
            return condition(ConditionResponse.from(c), 201);
        } catch (ApiException e) {
            throw FhirInbound.unprocessable(e, in.paths());
        }
    }

    /**
     * Replaces the condition. Its {@code subject} names the patient it is looked up under: a
     * condition never changes patients, so a subject that is not its patient finds no such
     * condition (404), which tells nothing about records the caller may not see.
     */
    public Written updateCondition(long id, Condition resource, String ifMatch, UnaryOperator<String> subject) {
        requireSameId(resource, id);
        var in = FhirInbound.condition(resource, true, validator);
        long patientId = patientOf(subject.apply(in.subject()));
        try {
            var c = conditions.update(patientId, id, caller.id(), caller.isAdmin(), strong(ifMatch), in.request());
            return condition(ConditionResponse.from(c), 200);
        } catch (ApiException e) {
            throw FhirInbound.unprocessable(e, in.paths());
        }
    }

    public void deleteCondition(long id, String ifMatch) {
        conditions.delete(conditionsPatient(id), id, caller.id(), caller.isAdmin(), strong(ifMatch));
    }

    public Written readCondition(long id) {
        return condition(ConditionResponse.from(conditions.read(conditionsPatient(id), id, caller.id(), caller.isAdmin())), 200);
    }

    /** The patient a condition belongs to, for routing only: the service then decides access (404 for an unknown one). */
    private static long conditionsPatient(long conditionId) {
        List<Long> found = org.acme.healthcare.condition.Condition.getEntityManager()
                .createQuery("select c.patientId from Condition c where c.id = :id", Long.class)
                .setParameter("id", conditionId).getResultList();
        if (found.isEmpty()) {
            throw ApiException.notFound("Condition");
        }
        return found.get(0);
    }

    private static Written condition(ConditionResponse c, int status) {
        return new Written(FhirMapper.condition(c), "Condition", c.id(), c.version(), c.updatedAt(), status);
    }

    /** {@code Patient/{id}} (or this server's absolute URL of it) as the patient's id; anything else is a 422 on subject. */
    static long patientOf(String reference) {
        String ref = reference == null ? "" : reference;
        String base = FhirBundles.url("Patient/");
        if (!base.equals("Patient/") && ref.startsWith(base)) {
            ref = "Patient/" + ref.substring(base.length());
        }
        Matcher m = PATIENT_REF.matcher(ref);
        if (!m.matches()) {
            throw FhirInvalid.unprocessable("subject", ref.startsWith("urn:uuid:")
                    ? "refers to no entry of this bundle (its fullUrl)"
                    : "must reference a Patient of this server: Patient/{id}");
        }
        return Long.parseLong(m.group(1));
    }

    // ---------------------------------------------------------------- shared

    /**
     * A single write's answer: the resource as the read side shows it, {@code ETag: W/"v"},
     * {@code Last-Modified}, and on a create {@code Location: …/Patient/{id}/_history/{v}}.
     */
    static jakarta.ws.rs.core.Response answer(Written w) {
        var builder = jakarta.ws.rs.core.Response.status(w.status()).type(Fhir.MEDIA_TYPE).entity(w.resource())
                .tag(new jakarta.ws.rs.core.EntityTag(Long.toString(w.version()), true));
        if (w.updatedAt() != null) {
            builder.lastModified(java.util.Date.from(w.updatedAt()));
        }
        if (w.status() == 201) {
            builder.location(org.acme.healthcare.ops.PublicUrl.of(FhirErrors.BASE + "/" + w.versionPath()));
        }
        return builder.build();
    }

    /** FHIR's update needs the resource's id, equal to the URL's (FHIR RESTful API, update): else 400. */
    private static void requireSameId(Resource resource, long id) {
        if (!resource.hasIdElement() || !String.valueOf(id).equals(resource.getIdElement().getIdPart())) {
            throw FhirInvalid.unparsable("The resource's id must be present and equal the id in the URL.");
        }
    }

    /**
     * FHIR's {@code If-Match: W/"3"} as the REST API's {@code "3"}: FHIR versions are weak ETags but
     * name exactly one version, so the weak tag means the same precondition. Malformed tags stay
     * malformed (400 from the service's check).
     */
    static String strong(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (String tag : ifMatch.split(",")) {
            String t = tag.strip();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            sb.append(sb.isEmpty() ? "" : ", ").append(t);
        }
        return sb.toString();
    }

    /** A failure of one write as the REST API's refusal: constraints by name, a concurrent change as 409; null when it is none of those. */
    static ApiException refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return api;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException c) {
                return ProblemMappers.constraintError(c.getConstraintName(), c.getSQLState());
            }
            if (t instanceof jakarta.persistence.OptimisticLockException || t instanceof org.hibernate.StaleStateException) {
                return ApiException.conflict("The record was changed by someone else at the same time. Read it again and retry.");
            }
        }
        return null;
    }
}
