package org.acme.healthcare.condition;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.acme.healthcare.audit.Audit.Action;
import org.acme.healthcare.audit.Audit.RecordType;
import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Etags;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.patient.PatientService;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/**
 * Every read and change of a patient's conditions. Who may do it is the patient's rule (through
 * {@link PatientService}: readers read, writers change, refusals as for the record), and each is
 * audited as an access of the patient with {@code detail.condition} (a read of the list: {@code
 * detail.conditions}), so the access report and the organization's audit show it.
 */
@ApplicationScoped
public class ConditionService {
    private final PatientService patients;
    private final AuditLog audit;

    ConditionService(PatientService patients, AuditLog audit) {
        this.patients = patients;
        this.audit = audit;
    }

    public record Page(List<Condition> items, long total) {
    }

    /** One page of the patient's conditions in id order, optionally of one clinical status and category. */
    @Transactional
    public Page list(long patientId, long callerId, boolean admin, String clinicalStatus, String category, PageParams page) {
        patients.readable(Action.READ, patientId, callerId, admin, Map.of("conditions", "list"));
        StringBuilder where = new StringBuilder("patientId = :patient");
        Parameters params = Parameters.with("patient", patientId);
        if (clinicalStatus != null) {
            where.append(" and clinicalStatus = :clinical");
            params.and("clinical", clinicalStatus);
        }
        if (category != null) {
            where.append(" and category = :category");
            params.and("category", category);
        }
        var query = Condition.<Condition>find(where.toString(), Sort.by("id"), params);
        List<Condition> items = query.page(page.toPage()).list();
        return new Page(items, query.count());
    }

    /** One condition of the patient; 404 when the patient has none of this id. */
    @Transactional
    public Condition read(long patientId, long conditionId, long callerId, boolean admin) {
        patients.readable(Action.READ, patientId, callerId, admin, Map.of("condition", conditionId));
        return ofPatient(patientId, conditionId);
    }

    @Transactional
    public Condition create(long patientId, long callerId, boolean admin, ConditionRequest request) {
        Long organization = patients.writableOrganization(Action.CREATE, patientId, callerId, admin).orElse(null);
        Condition c = new Condition();
        c.patientId = patientId;
        c.recordedBy = callerId;
        apply(request, c);
        if (c.recordedAt == null) {
            c.recordedAt = Instant.now().truncatedTo(ChronoUnit.MICROS); // what the database keeps
        }
        c.persistAndFlush();
        audit.changed(Action.CREATE, RecordType.PATIENT, patientId, organization, detail(c.id));
        return c;
    }

    /** Sets the fields present in the body; a concurrent change is a 409 (the version), never a lost update. */
    @Transactional
    public Condition update(long patientId, long conditionId, long callerId, boolean admin, String ifMatch, ConditionRequest request) {
        Long organization = patients.writableOrganization(Action.UPDATE, patientId, callerId, admin).orElse(null);
        Condition c = ofPatient(patientId, conditionId);
        Etags.checkIfMatch(ifMatch, c.version);
        apply(request, c);
        c.flush();
        audit.changed(Action.UPDATE, RecordType.PATIENT, patientId, organization, detail(conditionId));
        return c;
    }

    @Transactional
    public void delete(long patientId, long conditionId, long callerId, boolean admin, String ifMatch) {
        Long organization = patients.writableOrganization(Action.DELETE, patientId, callerId, admin).orElse(null);
        Condition c = ofPatient(patientId, conditionId);
        Etags.checkIfMatch(ifMatch, c.version);
        c.delete();
        c.flush();
        audit.changed(Action.DELETE, RecordType.PATIENT, patientId, organization, detail(conditionId));
    }

    /** Deletes every condition of the patient (its delete), each through the entity so history records it. */
    public static void deleteAllOf(long patientId) {
        for (Condition c : Condition.<Condition>list("patientId", patientId)) {
            c.delete();
        }
    }

    private static Condition ofPatient(long patientId, long conditionId) {
        return Condition.<Condition>find("id = ?1 and patientId = ?2", conditionId, patientId).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("Condition"));
    }

    private static Map<String, Object> detail(long conditionId) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("condition", conditionId);
        return d;
    }

    /**
     * The fields the body gave; then the rules across fields: a code or a text, an abatement not
     * before the onset, and a problem-list item always with a clinical status (default active).
     */
    static void apply(ConditionRequest request, Condition c) {
        request.code().ifGiven(v -> {
            c.codeSystem = v == null ? null : v.system();
            c.code = v == null ? null : v.code();
            c.codeDisplay = v == null || v.display() == null ? null : v.display().strip();
        });
        request.text().ifGiven(v -> c.text = v == null ? null : v.strip());
        request.category().ifGiven(v -> c.category = v);
        request.clinicalStatus().ifGiven(v -> c.clinicalStatus = v);
        request.verificationStatus().ifGiven(v -> c.verificationStatus = v);
        request.onsetDate().ifGiven(v -> c.onsetDate = v);
        request.abatementDate().ifGiven(v -> c.abatementDate = v);
        request.recordedAt().ifGiven(v -> {
            if (v == null) {
                throw ApiException.invalidField("recordedAt", "cannot be cleared");
            }
            c.recordedAt = v.truncatedTo(ChronoUnit.MICROS);
        });
        if (c.category == null) {
            c.category = "problem-list-item";
        }
        if (c.clinicalStatus == null && c.category.equals("problem-list-item")) {
            c.clinicalStatus = "active";
        }
        if (c.code == null && (c.text == null || c.text.isEmpty())) {
            throw ApiException.invalidField("code", "a code or a text is required");
        }
        if (c.abatementDate != null && c.clinicalStatus != null && java.util.Set.of("active", "recurrence", "relapse").contains(c.clinicalStatus)) {
            // FHIR's con-4: an abated condition is inactive, in remission or resolved.
            throw ApiException.invalidField("abatementDate", "needs a clinicalStatus of inactive, remission or resolved");
        }
        if (c.onsetDate != null && c.abatementDate != null && c.abatementDate.isBefore(c.onsetDate)) {
            throw ApiException.invalidField("abatementDate", "must not be before onsetDate");
        }
    }
}
