package org.acme.healthcare.patient;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Query;

import org.acme.healthcare.audit.AuditEvent;
import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.PageParams;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * "Who saw my record": the successful audit events that name a patient, its single reads and
 * changes ({@code record_id}) and the lists, searches and exports that returned it
 * ({@code record_ids}, the GIN index of V8; an export's parts in {@code audit_event_records}, V19),
 * newest first. Read through the indexes with a
 * custom plan per call (as GET /api/audit does), so one patient's handful of events is found
 * among millions.
 */
@ApplicationScoped
public class AccessReport {
    public static final String CSV = "text/csv";
    private static final String WHERE = where("");
    /** With the exports that held the patient, found first (AuditEvent.heldBy): rare, so most calls plan without it. */
    private static final String WHERE_HELD = where(" or e.id = any(cast(:heldBy as bigint[]))");

    private static String where(String heldBy) {
        return " from audit_events e where e.record_type = 'patient' and e.outcome = 'success'"
                + " and (e.record_id = :id or e.record_ids @> array[cast(:id as bigint)]" + heldBy + ")"
                + " and e.occurred_at >= coalesce(cast(:from as timestamptz), '-infinity'::timestamptz)"
                + " and e.occurred_at < coalesce(cast(:to as timestamptz), 'infinity'::timestamptz)";
    }
    /** The actor: a user ({@code actor_id}), or a system client (no user; its public {@code clientId} in the detail: audit/AuditLog). */
    private static final String ROWS = "select e.occurred_at, e.actor_id, u.name, e.organization_id, e.action, e.via,"
            + " coalesce((e.detail ->> 'breakGlass')::boolean, e.action = 'break_glass'), e.detail ->> 'reason',"
            + " c.id, c.name"
            + " from (select e.*%s order by e.occurred_at desc, e.id desc offset :offset limit :limit) e"
            + " left join users u on u.id = e.actor_id"
            + " left join system_clients c on e.actor_id is null and c.client_id = e.detail ->> 'clientId'"
            + " order by e.occurred_at desc, e.id desc";

    public record Page(List<AccessReportEntry> items, long total) {
    }

    /** The page, after the access check: 404 as for an unknown record, 403 for a member who is not an admin. */
    public Page report(long patientId, long caller, boolean admin, Instant from, Instant to, PageParams page) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            switch (PatientAccess.report(patientId, caller, admin)) {
                case NONE -> throw ApiException.notFound("Patient");
                case MEMBER -> throw ApiException.forbidden("Only the record's owner and its organization's admins may read"
                        + " who accessed it.");
                default -> {
                }
            }
            var em = Patient.getEntityManager();
            em.createNativeQuery("set local plan_cache_mode = force_custom_plan").executeUpdate();
            String heldBy = AuditEvent.heldBy(patientId, from, to);
            String where = heldBy == null ? WHERE : WHERE_HELD;
            Query rows = bind(em.createNativeQuery(ROWS.formatted(where), Object[].class), patientId, from, to, heldBy)
                    .setParameter("offset", page.offset()).setParameter("limit", page.size);
            @SuppressWarnings("unchecked")
            List<Object[]> result = rows.getResultList();
            long total = ((Number) bind(em.createNativeQuery("select count(*)" + where), patientId, from, to, heldBy)
                    .getSingleResult()).longValue();
            return new Page(result.stream().map(AccessReport::entry).toList(), total);
        });
    }

    private static Query bind(Query q, long id, Instant from, Instant to, String heldBy) {
        if (heldBy != null) {
            q.setParameter("heldBy", heldBy);
        }
        return q.setParameter("id", id).setParameter("from", from == null ? null : java.time.OffsetDateTime.ofInstant(from,
                java.time.ZoneOffset.UTC)).setParameter("to", to == null ? null : java.time.OffsetDateTime.ofInstant(to,
                        java.time.ZoneOffset.UTC));
    }

    private static AccessReportEntry entry(Object[] r) {
        Instant at = r[0] instanceof java.time.OffsetDateTime o ? o.toInstant()
                : r[0] instanceof java.sql.Timestamp t ? t.toInstant() : (Instant) r[0];
        Long actorId = r[1] == null ? null : ((Number) r[1]).longValue();
        Long organizationId = r[3] == null ? null : ((Number) r[3]).longValue();
        String via = r[5] == null ? "rest" : (String) r[5];
        AccessReportEntry.Actor actor = r[8] != null
                ? new AccessReportEntry.Actor("client", ((Number) r[8]).longValue(), (String) r[9])
                : new AccessReportEntry.Actor("user", actorId, (String) r[2]);
        return new AccessReportEntry(at, actor, organizationId,
                (String) r[4], via, Boolean.TRUE.equals(r[6]), (String) r[7]);
    }

    /** RFC 4180 CSV of the entries, with a header line; cells a spreadsheet would run as a formula are defused. */
    public static String csv(List<AccessReportEntry> entries) {
        StringBuilder sb = new StringBuilder("at,actor_type,actor_id,actor_name,organization_id,action,via,break_glass,reason\r\n");
        for (AccessReportEntry e : entries) {
            sb.append(cell(e.at().toString())).append(',')
                    .append(cell(e.actor().type())).append(',')
                    .append(cell(e.actor().id() == null ? "" : e.actor().id().toString())).append(',')
                    .append(cell(e.actor().name())).append(',')
                    .append(cell(e.organizationId() == null ? "" : e.organizationId().toString())).append(',')
                    .append(cell(e.action())).append(',')
                    .append(cell(e.via())).append(',')
                    .append(e.breakGlass()).append(',')
                    .append(cell(e.reason())).append("\r\n");
        }
        return sb.toString();
    }

    /**
     * One cell: a value starting with {@code = + - @}, a tab or a carriage return gets a leading
     * {@code '} (OWASP's CSV injection advice), and a value with a comma, quote or line break is
     * quoted with its quotes doubled (RFC 4180).
     */
    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String v = value;
        char first = v.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            v = '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
