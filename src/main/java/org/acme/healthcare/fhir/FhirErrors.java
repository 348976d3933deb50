package org.acme.healthcare.fhir;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

import org.acme.healthcare.common.Problem;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Under {@code /fhir} an error is an {@code OperationOutcome}, not a problem document. Every
 * error of the service goes through the one error path (the mappers in common/) and comes out
 * as a {@link Problem}; for FHIR paths this filter turns that into the same status and detail as
 * an OperationOutcome ({@code application/fhir+json}), headers such as {@code WWW-Authenticate},
 * {@code Allow} and {@code Retry-After} kept. Errors the HTTP layer answers before JAX-RS take the
 * same route through {@link FhirHttpErrors}.
 */
public class FhirErrors {
    static final String BASE = "/fhir";

    static boolean isFhirPath(String path) {
        return path != null && (path.equals(BASE) || path.startsWith(BASE + "/"));
    }

    @ServerResponseFilter
    public void toOperationOutcome(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem && isFhirPath(request.getUriInfo().getRequestUri().getRawPath())) {
            response.setEntity(outcome(problem), null, MediaType.valueOf(Fhir.MEDIA_TYPE));
        }
    }

    /** The problem as an OperationOutcome: one issue per invalid field, else one for the whole request. */
    static OperationOutcome outcome(Problem problem) {
        OperationOutcome outcome = new OperationOutcome();
        IssueType code = issueType(problem.status());
        if (problem.errors() != null && !problem.errors().isEmpty()) {
            for (Problem.FieldError error : problem.errors()) {
                outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(code)
                        .setDiagnostics(error.field() + ": " + error.message());
            }
        } else {
            String diagnostics = problem.detail();
            if (problem.correlationId() != null) {
                diagnostics += " Correlation id: " + problem.correlationId();
            }
            outcome.addIssue().setSeverity(problem.status() >= 500 ? IssueSeverity.FATAL : IssueSeverity.ERROR)
                    .setCode(code).setDiagnostics(diagnostics);
        }
        return outcome;
    }

    static OperationOutcome outcome(int status, String diagnostics) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(status >= 500 ? IssueSeverity.FATAL : IssueSeverity.ERROR)
                .setCode(issueType(status)).setDiagnostics(diagnostics);
        return outcome;
    }

    static IssueType issueType(int status) {
        return switch (status) {
            case 400 -> IssueType.INVALID;
            case 401 -> IssueType.LOGIN;
            case 403 -> IssueType.FORBIDDEN;
            case 404, 410 -> IssueType.NOTFOUND;
            case 405, 406, 415 -> IssueType.NOTSUPPORTED;
            case 409, 412 -> IssueType.CONFLICT;
            case 413 -> IssueType.TOOCOSTLY;
            case 429 -> IssueType.THROTTLED;
            case 503 -> IssueType.TRANSIENT;
            default -> status >= 500 ? IssueType.EXCEPTION : IssueType.PROCESSING;
        };
    }
}
