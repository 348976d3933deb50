package org.acme.healthcare.patient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.acme.healthcare.audit.Audit.Action;
import org.acme.healthcare.audit.Audit.RecordType;
import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.patient.PatientAccess.Found;
import org.acme.healthcare.patient.PatientAccess.Level;

/**
 * Break-glass: a member (or a platform admin) who may not read a restricted record gets read
 * access to it for a while by giving a reason. The grant is audited with the reason; so is every
 * read under it ({@link PatientService}); the organization's admins review the grants.
 */
@ApplicationScoped
public class BreakGlassService {
    private final AuditLog audit;
    private final PatientService patients;
    private final BreakGlassConfig config;

    BreakGlassService(AuditLog audit, PatientService patients, BreakGlassConfig config) {
        this.audit = audit;
        this.patients = patients;
        this.config = config;
    }

    /**
     * A grant on a record the caller needs it for: 404 when the caller may not know the record,
     * 409 when it can read it already (not restricted, or its creator or an organization admin).
     * A second grant while one is live simply starts a new one (each is reviewed).
     */
    @Transactional
    public BreakGlassGrant grant(long patientId, long callerId, boolean admin, String reason) {
        Found found = PatientAccess.read(patientId, callerId, admin).filter(f -> f.level() != Level.NONE)
                .orElseThrow(() -> patients.refused(Action.BREAK_GLASS, patientId));
        Patient p = found.patient();
        if (!p.restricted) {
            throw ApiException.conflict("This record is not restricted: no break-glass is needed to read it.");
        }
        if (found.level() != Level.RESTRICTED && found.level() != Level.PLATFORM_RESTRICTED
                && found.level() != Level.BREAK_GLASS) {
            throw ApiException.conflict("You can read this record without break-glass.");
        }
        BreakGlassGrant g = new BreakGlassGrant();
        g.organizationId = p.organizationId;
        g.patientId = p.id;
        g.userId = callerId;
        g.reason = reason.strip();
        g.grantedAt = Instant.now().truncatedTo(ChronoUnit.MICROS); // as stored: the review shows what the grant answered
        g.expiresAt = g.grantedAt.plus(config.lifetime());
        g.persistAndFlush();
        audit.changed(Action.BREAK_GLASS, RecordType.PATIENT, p.id, p.organizationId,
                Map.of("breakGlass", true, "reason", g.reason, "expiresAt", g.expiresAt.toString()));
        return g;
    }

    /** The organization's grants for review, newest first: its admins only (404 for a non-member, 403 for other members). */
    public List<BreakGlassGrant> review(long organizationId, long callerId, PageParams page) {
        String role = PatientAccess.role(organizationId, callerId, false)
                .orElseThrow(() -> ApiException.notFound("Organization"));
        if (!role.equals("admin")) {
            throw ApiException.forbidden("Only an admin of this organization may review its break-glass grants.");
        }
        return BreakGlassGrant.ofOrganization(organizationId, page);
    }
}
