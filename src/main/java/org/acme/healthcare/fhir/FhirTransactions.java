package org.acme.healthcare.fhir;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Problem;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * {@code POST /fhir} with a {@code transaction} or {@code batch} Bundle of Patient and Condition
 * entries, each entry done by {@link FhirWrites} (the REST API's services):
 * <ul>
 * <li>transaction: every entry in ONE database transaction, in FHIR's order (DELETE, POST, PUT,
 * GET; within a method, conditions are deleted before patients and patients created before
 * conditions), {@code urn:uuid:} fullUrls resolved in {@code Condition.subject}. The first entry
 * that fails rolls everything back: its status and an OperationOutcome naming it
 * ({@code Bundle.entry[3].resource.birthDate}). A conditional create that lost a race to a
 * concurrent one (the identifier's uniqueness) retries the whole transaction once, and then finds
 * the winner's record.</li>
 * <li>batch: each entry in a transaction of its own; a failing one has its status and outcome in
 * the {@code batch-response}, the others stand.</li>
 * </ul>
 * A transaction's audit events are written in one batch at its end (AuditLog#batched), in the same
 * database transaction. At most {@value #MAX_ENTRIES} entries (more: 413). The response's entries carry {@code status},
 * {@code location}, {@code etag} and {@code lastModified}, and the resources when the client asks
 * with {@code Prefer: return=representation}.
 */
@ApplicationScoped
public class FhirTransactions {
    static final int MAX_ENTRIES = 1000;
    private static final Pattern URL = Pattern.compile("(Patient|Condition)(?:/([^/?#]*))?");
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,18}");

    private final FhirWrites writes;
    private final AuditLog audit;

    FhirTransactions(FhirWrites writes, AuditLog audit) {
        this.writes = writes;
        this.audit = audit;
    }

    /** One entry as understood: what to do to which resource, with which preconditions. */
    record Plan(int index, HTTPVerb method, String type, Long id, Resource resource, String ifMatch, String ifNoneExist,
            String fullUrl) {
        int rank() {
            int method = switch (this.method) {
                case DELETE -> 0;
                case POST -> 1;
                case PUT -> 2;
                default -> 3;
            };
            // Conditions go before their patients when deleting, after them otherwise.
            boolean patientFirst = this.method != HTTPVerb.DELETE;
            int type = "Patient".equals(this.type) == patientFirst ? 0 : 1;
            return method * 2 + type;
        }
    }

    public Response process(Bundle bundle, boolean representation) {
        BundleType type = bundle.getType();
        if (type != BundleType.TRANSACTION && type != BundleType.BATCH) {
            throw FhirInvalid.unprocessable("type", "must be transaction or batch").at("Bundle");
        }
        if (bundle.getEntry().size() > MAX_ENTRIES) {
            throw new ApiException(Problem.Type.PAYLOAD_TOO_LARGE,
                    "A bundle holds at most " + MAX_ENTRIES + " entries; split it into several.");
        }
        boolean transaction = type == BundleType.TRANSACTION;
        int n = bundle.getEntry().size();
        Plan[] plans = new Plan[n];
        RuntimeException[] refused = new RuntimeException[n];
        Set<String> targets = new HashSet<>();
        Set<String> fullUrls = new HashSet<>();
        for (int i = 0; i < n; i++) {
            try {
                plans[i] = plan(i, bundle.getEntry().get(i), targets, fullUrls);
            } catch (FhirInvalid | ApiException e) {
                if (transaction) {
                    return failure(i, e);
                }
                refused[i] = e;
            }
        }
        List<Plan> order = new ArrayList<>();
        for (Plan p : plans) {
            if (p != null) {
                order.add(p);
            }
        }
        order.sort(Comparator.comparingInt(Plan::rank).thenComparingInt(Plan::index));
        BundleEntryComponent[] out;
        if (transaction) {
            try {
                out = transaction(order, n, representation);
            } catch (EntryFailed e) {
                return failure(e.index, e.getCause());
            }
        } else {
            out = batch(order, n, refused, representation);
        }
        Bundle answer = new Bundle().setType(transaction ? BundleType.TRANSACTIONRESPONSE : BundleType.BATCHRESPONSE);
        for (BundleEntryComponent e : out) {
            answer.addEntry(e);
        }
        return Response.ok(answer).type(Fhir.MEDIA_TYPE).build();
    }

    /** An entry of a transaction failed: the transaction is rolled back and this is its answer. */
    private static final class EntryFailed extends RuntimeException {
        final int index;

        EntryFailed(int index, RuntimeException cause) {
            super(null, cause, false, false);
            this.index = index;
        }
    }

    /**
     * All entries in one transaction; the first failure rolls it back ({@link EntryFailed}). A
     * conditional create that lost a race on an identifier retries the whole transaction once.
     */
    private BundleEntryComponent[] transaction(List<Plan> order, int n, boolean representation) {
        boolean conditional = order.stream().anyMatch(p -> p.ifNoneExist() != null);
        for (int attempt = 0;; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(() -> audit.batched(() -> {
                    BundleEntryComponent[] out = new BundleEntryComponent[n];
                    Map<String, String> refs = new HashMap<>();
                    var em = org.acme.healthcare.patient.Patient.getEntityManager();
                    for (Plan p : order) {
                        try {
                            out[p.index()] = execute(p, refs, representation);
                            // Each service call has flushed its change (history and audit are captured by
                            // then); without this every later query would dirty-check all records written so
                            // far (their JSON columns included), and a bundle would cost O(n²).
                            em.flush();
                            em.clear();
                        } catch (RuntimeException e) {
                            throw new EntryFailed(p.index(), e);
                        }
                    }
                    return out;
                }));
            } catch (EntryFailed e) {
                if (attempt == 0 && conditional && FhirWrites.identifierTaken(e.getCause())) {
                    continue;
                }
                throw e;
            } catch (RuntimeException e) {
                // The commit failed (a deferred constraint, a concurrent change): no entry to blame.
                if (attempt == 0 && conditional && FhirWrites.identifierTaken(e)) {
                    continue;
                }
                ApiException refusal = FhirWrites.refusal(e);
                if (refusal != null) {
                    throw refusal;
                }
                throw e;
            }
        }
    }

    /** Each entry in a transaction of its own; a refusal is that entry's answer, the others stand. */
    private BundleEntryComponent[] batch(List<Plan> order, int n, RuntimeException[] refused, boolean representation) {
        BundleEntryComponent[] out = new BundleEntryComponent[n];
        Map<String, String> refs = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (refused[i] != null) {
                out[i] = failedEntry(i, refused[i]);
            }
        }
        for (Plan p : order) {
            try {
                out[p.index()] = QuarkusTransaction.requiringNew().call(() -> execute(p, refs, representation));
            } catch (RuntimeException e) {
                if (e instanceof FhirInvalid || FhirWrites.refusal(e) != null) {
                    out[p.index()] = failedEntry(p.index(), e);
                } else {
                    throw e; // the database is unreachable, or a bug: the whole request answers it (503, 500)
                }
            }
        }
        return out;
    }

    private BundleEntryComponent execute(Plan p, Map<String, String> refs, boolean representation) {
        UnaryOperator<String> subject = ref -> ref == null ? null : refs.getOrDefault(ref, ref);
        boolean patient = p.type().equals("Patient");
        FhirWrites.Written w;
        switch (p.method()) {
            case POST -> {
                w = patient ? writes.createPatient((Patient) p.resource(), p.ifNoneExist(), false)
                        : writes.createCondition((Condition) p.resource(), p.ifNoneExist(), subject);
                if (p.fullUrl() != null) {
                    refs.put(p.fullUrl(), w.type() + "/" + w.id());
                }
            }
            case PUT -> w = patient ? writes.updatePatient(p.id(), (Patient) p.resource(), p.ifMatch())
                    : writes.updateCondition(p.id(), (Condition) p.resource(), p.ifMatch(), subject);
            case DELETE -> {
                if (patient) {
                    writes.deletePatient(p.id(), p.ifMatch());
                } else {
                    writes.deleteCondition(p.id(), p.ifMatch());
                }
                BundleEntryComponent e = new BundleEntryComponent();
                e.getResponse().setStatus("204 No Content");
                return e;
            }
            default -> w = patient ? writes.readPatient(p.id()) : writes.readCondition(p.id());
        }
        BundleEntryComponent e = new BundleEntryComponent();
        e.getResponse().setStatus(w.status() == 201 ? "201 Created" : "200 OK")
                .setLocation(FhirBundles.url(w.versionPath())).setEtag("W/\"" + w.version() + "\"");
        if (w.updatedAt() != null) {
            e.getResponse().setLastModified(Date.from(w.updatedAt()));
        }
        if (representation || p.method() == HTTPVerb.GET) {
            e.setFullUrl(FhirBundles.fullUrl(w.type() + "/" + w.id())).setResource(w.resource());
        }
        return e;
    }

    /** What entry {@code i} asks for; a request this service cannot do is a 400 naming the entry's element. */
    private static Plan plan(int i, BundleEntryComponent entry, Set<String> targets, Set<String> fullUrls) {
        String at = "Bundle.entry[" + i + "]";
        if (!entry.hasRequest() || entry.getRequest().getMethod() == null || entry.getRequest().getMethod() == HTTPVerb.NULL) {
            throw invalid(at, "request.method", "is required (DELETE, POST, PUT or GET)");
        }
        HTTPVerb method = entry.getRequest().getMethod();
        if (method != HTTPVerb.POST && method != HTTPVerb.PUT && method != HTTPVerb.DELETE && method != HTTPVerb.GET) {
            throw invalid(at, "request.method", "must be DELETE, POST, PUT or GET");
        }
        String url = entry.getRequest().getUrl() == null ? "" : entry.getRequest().getUrl().strip();
        String base = FhirBundles.url("");
        if (!base.isEmpty() && url.startsWith(base)) {
            url = url.substring(base.length());
        }
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw invalid(at, "request.url", "must be Patient or Condition, with /{id} for PUT, DELETE and GET"
                    + " (conditional updates, deletes and searches are not supported)");
        }
        String type = m.group(1);
        String id = m.group(2);
        if (method == HTTPVerb.POST ? id != null : id == null || !ID.matcher(id).matches()) {
            throw invalid(at, "request.url", method == HTTPVerb.POST ? "must be the type alone (Patient, Condition)"
                    : "must be " + type + "/{id} with the numeric id of a record");
        }
        Resource resource = entry.getResource();
        boolean needsResource = method == HTTPVerb.POST || method == HTTPVerb.PUT;
        if (needsResource && resource == null) {
            throw invalid(at, "resource", "is required for " + method.toCode());
        }
        if (needsResource && !resource.fhirType().equals(type)) {
            throw invalid(at, "resource", "must be a " + type + ", as request.url says");
        }
        if (!needsResource && resource != null) {
            throw invalid(at, "resource", "must be absent for " + method.toCode());
        }
        if (method != HTTPVerb.POST && method != HTTPVerb.GET && !targets.add(type + "/" + id)) {
            throw invalid(at, "request.url", "names a record another entry already changes");
        }
        String fullUrl = entry.hasFullUrl() ? entry.getFullUrl() : null;
        if (fullUrl != null && fullUrl.startsWith("urn:uuid:") && !fullUrls.add(fullUrl)) {
            throw invalid(at, "fullUrl", "is the fullUrl of another entry too");
        }
        String ifNoneExist = blankToNull(entry.getRequest().getIfNoneExist());
        if (ifNoneExist != null && method != HTTPVerb.POST) {
            throw invalid(at, "request.ifNoneExist", "applies to POST only");
        }
        String ifMatch = blankToNull(entry.getRequest().getIfMatch());
        return new Plan(i, method, type, id == null ? null : Long.valueOf(id), needsResource ? resource : null, ifMatch,
                ifNoneExist, fullUrl);
    }

    private static FhirInvalid invalid(String at, String path, String message) {
        return new FhirInvalid(400, List.of(new FhirInvalid.Issue(path, message))).at(at);
    }

    /** The whole transaction's answer when entry {@code i} failed: that entry's status and outcome. */
    private static Response failure(int i, Throwable e) {
        int status = status(e);
        return Response.status(status).type(Fhir.MEDIA_TYPE).entity(outcome(i, e)).build();
    }

    private static BundleEntryComponent failedEntry(int i, Throwable e) {
        BundleEntryComponent entry = new BundleEntryComponent();
        int status = status(e);
        entry.getResponse().setStatus(status + " " + reason(status)).setOutcome(outcome(i, e));
        return entry;
    }

    private static int status(Throwable e) {
        if (e instanceof FhirInvalid invalid) {
            return invalid.status();
        }
        ApiException refusal = FhirWrites.refusal(e);
        if (refusal != null) {
            return refusal.type().status;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        throw new IllegalStateException(e);
    }

    /** The entry's refusal: a 400/422 naming its elements, or the REST API's refusal (404, 403, 409, 412) naming the entry. */
    static OperationOutcome outcome(int i, Throwable e) {
        String at = "Bundle.entry[" + i + "]";
        if (e instanceof FhirInvalid invalid) {
            return invalid.outcome(at + ".resource");
        }
        ApiException refusal = FhirWrites.refusal(e);
        OperationOutcome outcome = new OperationOutcome();
        int status = refusal.type().status;
        if (refusal.errors() != null && !refusal.errors().isEmpty()) {
            for (Problem.FieldError error : refusal.errors()) {
                outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(FhirErrors.issueType(status))
                        .setDiagnostics(at + ": " + error.field() + ": " + error.message()).addExpression(at);
            }
        } else {
            outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(FhirErrors.issueType(status))
                    .setDiagnostics(at + ": " + refusal.getMessage()).addExpression(at);
        }
        return outcome;
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 422 -> "Unprocessable Entity";
            default -> "Error";
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
