package org.acme.healthcare.client;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.healthcare.audit.Audit.Action;
import org.acme.healthcare.audit.Audit.Outcome;
import org.acme.healthcare.audit.Audit.RecordType;
import org.acme.healthcare.audit.AuditLog;
import org.jboss.logging.Logger;

/**
 * The token endpoint leaves a trace, as logins do (user/SecurityEvents): every token issued and
 * every request refused is an audit event ({@code action: token}, {@code recordType: client}, the
 * client's row id and organization when the request named a registered client) and a log line. The
 * detail says the OAuth error or the scope granted; never the assertion, never a token.
 */
@ApplicationScoped
public class ClientEvents {
    private static final Logger LOG = Logger.getLogger(ClientEvents.class);

    private final AuditLog audit;

    ClientEvents(AuditLog audit) {
        this.audit = audit;
    }

    void tokenIssued(SystemClient client, String scope) {
        audit.security(Action.TOKEN, RecordType.CLIENT, null, client.id, Outcome.SUCCESS,
                detail("clientId", client.clientId, "scope", scope), client.organizationId);
        LOG.infof("Token issued to system client %d of organization %d", client.id, client.organizationId);
    }

    void tokenRefused(SystemClient client, String error, String description) {
        audit.security(Action.TOKEN, RecordType.CLIENT, null, client == null ? null : client.id, Outcome.DENIED,
                detail("clientId", client == null ? null : client.clientId, "error", error, "reason", description),
                client == null ? null : client.organizationId);
        LOG.infof("Token refused (%s)%s", error, client == null ? "" : " for system client " + client.id);
    }

    private static Map<String, Object> detail(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                map.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return map;
    }
}
