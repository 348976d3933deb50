package org.acme.healthcare.client;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.transaction.Transactional;

import org.acme.healthcare.audit.Audit.Action;
import org.acme.healthcare.audit.Audit.RecordType;
import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.Problem;
import org.acme.healthcare.organization.OrganizationAccess;
import org.jboss.logging.Logger;


/**
 * An organization's system clients: registered, listed and revoked by its admins only
 * ({@link OrganizationAccess}: another member gets 403, anyone else the 404 of an unknown
 * organization). Each change is audited as a change of the client ({@code recordType: client}) in
 * its own transaction; a revocation also ends the client's tokens at once on this replica
 * ({@link LiveClients}) and, through the access rule, its reads on every replica.
 */
@ApplicationScoped
public class ClientService {
    private static final Logger LOG = Logger.getLogger(ClientService.class);
    /** 18 random bytes: 144 bits, base64url, after a prefix that keeps a client id from ever being a number. */
    private static final int ID_BYTES = 18;

    /** The backstops behind the checks below, for what a concurrent request changes in between. */
    @Produces
    static final ApiException.Constraints CONSTRAINTS = new ApiException.Constraints(Map.of(
            "system_clients_organization_fk", OrganizationAccess.notFound(),
            "system_clients_created_by_fk", ApiException.unauthorized("The account behind this token no longer exists.")));

    private final SecureRandom random = new SecureRandom();
    private final AuditLog audit;
    private final LiveClients live;

    ClientService(AuditLog audit, LiveClients live) {
        this.audit = audit;
        this.live = live;
    }

    /** Registers a client in the organization: 400 naming every bad field (keys, scopes) at once. */
    @Transactional
    public SystemClient register(long organizationId, long callerId, ClientRequest body) {
        OrganizationAccess.admin(organizationId, callerId);
        List<Problem.FieldError> errors = new ArrayList<>();
        Jwks.problem(body.jwks()).ifPresent(p -> errors.add(new Problem.FieldError("jwks", p)));
        String scope = null;
        try {
            scope = SmartScopes.registered(body.scope());
        } catch (SmartScopes.Invalid e) {
            errors.add(new Problem.FieldError("scope", e.getMessage()));
        }
        if (!errors.isEmpty()) {
            throw new ApiException(Problem.Type.VALIDATION, "The request is invalid.", errors);
        }
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        SystemClient c = new SystemClient();
        c.clientId = "sc_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        c.organizationId = organizationId;
        c.name = body.name().strip();
        c.scope = scope;
        c.jwks = body.jwks();
        c.createdBy = callerId;
        c.persistAndFlush();
        audit.changed(Action.CREATE, RecordType.CLIENT, c.id, organizationId, Map.of("clientId", c.clientId, "scope", scope));
        LOG.infof("System client %d registered in organization %d", c.id, organizationId);
        return c;
    }

    /** A page of the organization's clients that are not revoked, oldest first. */
    @Transactional
    public List<SystemClient> list(long organizationId, long callerId, PageParams page) {
        OrganizationAccess.admin(organizationId, callerId);
        return SystemClient.listLive(organizationId, page.page, page.size);
    }

    public long count(long organizationId) {
        return SystemClient.countLive(organizationId);
    }

    /**
     * Revokes the client for good: its row is locked and marked, then its cached liveness is
     * forgotten after the commit, so no request that starts after this answers is let through with
     * its tokens on this replica. An unknown or already revoked client is 404.
     */
    @Transactional
    public void revoke(long organizationId, long callerId, String clientId) {
        OrganizationAccess.admin(organizationId, callerId);
        SystemClient c = SystemClient.lockLive(organizationId, clientId).orElseThrow(() -> ApiException.notFound("Client"));
        c.revokedAt = Instant.now();
        audit.changed(Action.DELETE, RecordType.CLIENT, c.id, organizationId, Map.of("clientId", c.clientId));
        live.forget(c.clientId);
        LOG.infof("System client %d of organization %d revoked", c.id, organizationId);
    }
}
