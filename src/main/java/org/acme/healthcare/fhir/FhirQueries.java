package org.acme.healthcare.fhir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.healthcare.common.Like;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.doctor.Doctor;
import org.acme.healthcare.mapping.Mapping;
import org.acme.healthcare.patient.Gender;
import org.acme.healthcare.patient.Patient;
import org.acme.healthcare.patient.PatientAccess;
import org.acme.healthcare.patient.PatientService;

import io.quarkus.panache.common.Parameters;

/**
 * The FHIR searches over the existing tables. Patient access is {@link PatientAccess}'s query; a patient search is
 * audited like {@code GET /api/patients}: one event carrying the ids it returned.
 * {@code name} follows FHIR's string search: case-insensitive, matching the start of the name or
 * of any word in it ({@code Doe} finds "Jane Doe").
 */
@ApplicationScoped
public class FhirQueries {
    private static final String ORDER = " order by createdAt, id";
    private final PatientService patientService;

    FhirQueries(PatientService patientService) {
        this.patientService = patientService;
    }

    public record Page<T>(List<T> items, long total) {
    }

    /**
     * The patients the caller may read (its personal ones and its organizations') that meet the
     * criteria: conditions on {@code p} through {@link PatientAccess.Filter}, under the one access rule.
     */
    public Page<Patient> patients(long callerId, FhirPatientSearch c, int offset, int count) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (c.name() != null) {
            where.add("(lower(p.name) like :name escape '!' or lower(p.name) like concat('% ', :name) escape '!'"
                    + " or lower(p.family_name) like :name escape '!'"
                    + " or exists (select 1 from unnest(p.given_names) g where lower(g) like :name escape '!'))");
            params.put("name", Like.escape(c.name().toLowerCase(Locale.ROOT)) + "%");
        }
        if (c.family() != null) {
            where.add("(lower(p.family_name) like :family escape '!' or lower(p.family_name) like concat('% ', :family) escape '!')");
            params.put("family", Like.escape(c.family().toLowerCase(Locale.ROOT)) + "%");
        }
        if (c.given() != null) {
            where.add("exists (select 1 from unnest(p.given_names) g where lower(g) like :given escape '!')");
            params.put("given", Like.escape(c.given().toLowerCase(Locale.ROOT)) + "%");
        }
        for (int i = 0; i < c.birthdates().size(); i++) {
            FhirPatientSearch.DateRange range = c.birthdates().get(i);
            if (range.from() != null) {
                where.add("p.birth_date >= :birthFrom" + i);
                params.put("birthFrom" + i, range.from());
            }
            if (range.to() != null) {
                where.add("p.birth_date < :birthTo" + i);
                params.put("birthTo" + i, range.to());
            }
        }
        if (c.genders() != null) {
            // A record without a gender is served as unknown (US Core's gender is 1..1), and found as one.
            String in = "p.gender in (:genders)";
            where.add(c.genders().contains(Gender.UNKNOWN) ? "(" + in + " or p.gender is null)" : in);
            params.put("genders", c.genders().stream().map(Gender::word).toList());
        }
        if (c.ids() != null) {
            where.add("p.id in (:ids)");
            params.put("ids", c.ids());
        }
        if (c.organizations() != null) {
            where.add("p.organization_id in (:organizations)");
            params.put("organizations", c.organizations());
        }
        if (c.identifiers() != null) {
            where.add(identifierClause(c.identifiers(), params));
        }
        var filter = new PatientAccess.Filter(where.isEmpty() ? null : String.join(" and ", where), params);
        var scope = new PatientAccess.Scope.Mine();
        List<Patient> items = PatientAccess.list(scope, callerId, filter, PatientAccess.order("createdAt"), offset, count);
        long total = PatientAccess.count(scope, callerId, filter);
        patientService.auditListed(items);
        return new Page<>(items, total);
    }

    /**
     * Any of the tokens: one of the record's identifiers (patient_identifiers, whose lookup index
     * serves {@code system|value}), or its own id under {@link FhirMapper#PATIENT_ID_SYSTEM}. A
     * value with no system matches any system; {@code |value} (explicitly no system) matches none:
     * every identifier here has one.
     */
    private static String identifierClause(List<FhirPatientSearch.Token> tokens, Map<String, Object> params) {
        List<String> any = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            FhirPatientSearch.Token t = tokens.get(i);
            if (t.noSystem()) {
                continue;
            }
            boolean ours = t.system() == null || t.system().equals(FhirMapper.PATIENT_ID_SYSTEM);
            if (ours && t.value().matches("[1-9][0-9]{0,18}")) {
                any.add("p.id = :identifierId" + i);
                params.put("identifierId" + i, Long.parseLong(t.value()));
            }
            if (t.system() == null) {
                any.add("p.id in (select i.patient_id from patient_identifiers i where i.value = :identifierValue" + i + ")");
            } else if (!t.system().equals(FhirMapper.PATIENT_ID_SYSTEM)) {
                any.add("p.id in (select i.patient_id from patient_identifiers i where i.system = :identifierSystem" + i
                        + " and i.value = :identifierValue" + i + ")");
                params.put("identifierSystem" + i, t.system());
            } else {
                continue;
            }
            params.put("identifierValue" + i, t.value());
        }
        return any.isEmpty() ? "1 = 0" : "(" + String.join(" or ", any) + ")";
    }

    /**
     * One page of a patient's coded conditions (the caller's access to the patient already
     * decided, through {@code PatientService}) that meet the criteria, in id order.
     */
    public Page<org.acme.healthcare.condition.Condition> conditions(long patientId, FhirConditionSearch c, int offset,
            int count) {
        StringBuilder where = new StringBuilder("patientId = :patient");
        Parameters params = Parameters.with("patient", patientId);
        if (c.categories() != null) {
            where.append(" and category in :categories");
            params.and("categories", c.categories());
        }
        if (c.clinicalStatuses() != null) {
            where.append(" and clinicalStatus in :statuses");
            params.and("statuses", c.clinicalStatuses());
        }
        if (c.codes() != null) {
            List<String> any = new ArrayList<>();
            for (int i = 0; i < c.codes().size(); i++) {
                FhirPatientSearch.Token t = c.codes().get(i);
                if (t.noSystem()) {
                    continue; // every code here has a system
                }
                any.add(t.system() == null ? "code = :code" + i : "(codeSystem = :system" + i + " and code = :code" + i + ")");
                params.and("code" + i, t.value());
                if (t.system() != null) {
                    params.and("system" + i, t.system());
                }
            }
            where.append(any.isEmpty() ? " and 1 = 0" : " and (" + String.join(" or ", any) + ")");
        }
        var query = org.acme.healthcare.condition.Condition.<org.acme.healthcare.condition.Condition> find(
                where + " order by id", params);
        List<org.acme.healthcare.condition.Condition> items = count == 0 ? List.of()
                : query.range(offset, offset + count - 1).list();
        return new Page<>(items, query.count());
    }

    public Page<Doctor> doctors(String name, int offset, int count) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        nameClause(where, params, name);
        List<Doctor> items = Doctor.<Doctor> find(where + ORDER, params).range(offset, offset + count - 1).list();
        return new Page<>(items, Doctor.count(where.toString(), params));
    }

    /** Every doctor assigned to the patient, oldest assignment first (read page by page). */
    public List<Mapping> assignments(long patientId) {
        List<Mapping> all = new ArrayList<>();
        PageParams page = new PageParams();
        page.size = PageParams.MAX_SIZE;
        for (page.page = 0;; page.page++) {
            List<Mapping> batch = Mapping.ofPatient(patientId, page);
            all.addAll(batch);
            if (batch.size() < page.size) {
                return all;
            }
        }
    }

    private static void nameClause(StringBuilder where, Parameters params, String name) {
        if (name == null) {
            return;
        }
        where.append(" and (lower(name) like :name escape '!' or lower(name) like concat('% ', :name) escape '!')");
        params.and("name", Like.escape(name.toLowerCase(Locale.ROOT)) + "%");
    }
}
