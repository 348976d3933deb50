package org.acme.healthcare.fhir;

import java.util.List;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * A FHIR request body this service refuses, with one issue per element: 400 when it is not a FHIR
 * R4 resource of the expected type (not JSON, unknown elements, a value of the wrong shape), 422
 * when it is one but breaks US Core 6.1.0 or the record's rules. Each issue's path is relative to
 * the resource ({@code birthDate}, {@code identifier[0].system}); {@link #outcome(String)} puts it
 * under {@code Patient.} for a single write or under {@code Bundle.entry[3].resource.} in a bundle.
 * Messages never repeat the rejected value.
 */
public final class FhirInvalid extends RuntimeException {
    /** An element ({@code null}: the resource as a whole) and what is wrong with it. */
    public record Issue(String path, String message) {
    }

    private final int status;
    private final List<Issue> issues;
    /** Where the paths start when not at the resource ({@code Bundle.entry[3]} for an entry's request); else null. */
    private final String base;

    FhirInvalid(int status, List<Issue> issues) {
        this(status, issues, null);
    }

    private FhirInvalid(int status, List<Issue> issues, String base) {
        super(null, null, false, false);
        this.status = status;
        this.issues = List.copyOf(issues);
        this.base = base;
    }

    /** The same issues with their paths under {@code base} (a bundle entry), whatever the caller's prefix. */
    FhirInvalid at(String base) {
        return new FhirInvalid(status, issues, base);
    }

    static FhirInvalid unparsable(String message) {
        return new FhirInvalid(400, List.of(new Issue(null, message)));
    }

    static FhirInvalid unprocessable(String path, String message) {
        return new FhirInvalid(422, List.of(new Issue(path, message)));
    }

    public int status() {
        return status;
    }

    public List<Issue> issues() {
        return issues;
    }

    /** The issues as an OperationOutcome, each {@code expression} under {@code prefix} ({@code Patient}, {@code Bundle.entry[3].resource}). */
    OperationOutcome outcome(String prefix) {
        OperationOutcome outcome = new OperationOutcome();
        IssueType code = status == 400 ? IssueType.STRUCTURE : IssueType.PROCESSING;
        for (Issue issue : issues) {
            var i = outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(code);
            String expression = expression(base != null ? base : prefix, issue.path());
            i.setDiagnostics(expression == null ? issue.message() : expression + ": " + issue.message());
            if (expression != null) {
                i.addExpression(expression);
            }
        }
        return outcome;
    }

    /** {@code Patient.birthDate}; null for an issue of the body as a whole (no element to name). */
    static String expression(String prefix, String path) {
        if (path == null || path.isEmpty()) {
            return null;
        }
        return prefix == null || prefix.isEmpty() ? path : prefix + "." + path;
    }
}
