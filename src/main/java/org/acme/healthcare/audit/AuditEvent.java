package org.acme.healthcare.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Query;
import jakarta.persistence.Table;

import org.acme.healthcare.common.PageParams;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Who did what to which record, when, and how it ended. Ids only: never clinical content. */
@Entity
@Table(name = "audit_events")
public class AuditEvent extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "occurred_at", nullable = false, updatable = false)
    public Instant occurredAt;

    @Column(name = "actor_id", updatable = false)
    public Long actorId;

    @Column(nullable = false, updatable = false, length = 20)
    public String action;

    @Column(name = "record_type", nullable = false, updatable = false, length = 20)
    public String recordType;

    @Column(name = "record_id", updatable = false)
    public Long recordId;

    /** The ids of the records a list or search returned; null for every other event. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "record_ids", updatable = false)
    public Long[] recordIds;

    /**
     * Set for an event whose ids are too many for a row (an export): how many, kept in
     * {@code audit_event_records} (V19); {@link #recordIds} is then null.
     */
    @Column(name = "record_count", updatable = false)
    public Integer recordCount;

    @Column(nullable = false, updatable = false, length = 20)
    public String outcome;

    /** The service's own id of the request (a UUID; in every log line of the request). */
    @Column(name = "request_id", updatable = false, length = 64)
    public String requestId;

    /** The {@code X-Request-Id} the client sent, when it sent a sane one; null otherwise. */
    @Column(name = "client_request_id", updatable = false, length = 64)
    public String clientRequestId;

    @Column(name = "client_address", updatable = false, length = 64)
    public String clientAddress;

    /** The organization the access went through; null for a personal patient and for account events. */
    @Column(name = "organization_id", updatable = false)
    public Long organizationId;

    /** The channel: {@code rest}, {@code fhir} or {@code export}; null before V14 and outside a request. */
    @Column(updatable = false, length = 10)
    public String via;

    /** HMAC-SHA256 over the event's canonical encoding (AuditChain); null before V14. */
    @Column(updatable = false)
    public byte[] mac;

    /** What an authentication event needs besides ids (a login's email, why a session ended, a role before and after); never a secret. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(updatable = false)
    public Map<String, Object> detail;

    /**
     * The filters of GET /api/audit; every one optional. A record filter also finds the list and
     * search events that returned the record ({@code record_ids}, GIN-indexed) and the exports that
     * held it ({@code audit_event_records}, V19, GIN-indexed). Native SQL: the
     * array containment {@code @>} is what the GIN index serves.
     */
    public record Filter(Long actor, String recordType, Long recordId, Instant from, Instant to, Long organization,
            String heldBy) {
        public Filter(Long actor, String recordType, Long recordId, Instant from, Instant to) {
            this(actor, recordType, recordId, from, to, null, null);
        }

        /** The same filters, narrowed to the events that went through one organization. */
        public Filter inOrganization(long organizationId) {
            return new Filter(actor, recordType, recordId, from, to, organizationId, heldBy);
        }

        /**
         * With the events whose parts hold the record (exports: {@link #heldBy(long, Instant, Instant)}),
         * looked up first: a third OR arm over the parts in the statement itself tripled its planning
         * time on every call, while nearly every record has no export at all.
         */
        Filter withHeldBy() {
            if (recordId == null || (recordType != null && !"patient".equals(recordType))) {
                return this;
            }
            return new Filter(actor, recordType, recordId, from, to, organization, AuditEvent.heldBy(recordId, from, to));
        }

        private String where() {
            List<String> clauses = new ArrayList<>();
            if (organization != null) {
                clauses.add("organization_id = :organization");
            }
            if (actor != null) {
                clauses.add("actor_id = :actor");
            }
            if (recordType != null) {
                clauses.add("record_type = :recordType");
            }
            if (recordId != null) {
                clauses.add(heldBy == null ? "(record_id = :recordId or record_ids @> array[cast(:recordId as bigint)])"
                        : "(record_id = :recordId or record_ids @> array[cast(:recordId as bigint)]"
                                + " or id = any(cast(:heldBy as bigint[])))");
            }
            if (from != null) {
                clauses.add("occurred_at >= :from");
            }
            if (to != null) {
                clauses.add("occurred_at < :to");
            }
            return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
        }

        private <Q extends Query> Q bind(Q query) {
            if (organization != null) {
                query.setParameter("organization", organization);
            }
            if (actor != null) {
                query.setParameter("actor", actor);
            }
            if (recordType != null) {
                query.setParameter("recordType", recordType);
            }
            if (recordId != null) {
                query.setParameter("recordId", recordId);
                if (heldBy != null) {
                    query.setParameter("heldBy", heldBy);
                }
            }
            if (from != null) {
                query.setParameter("from", from);
            }
            if (to != null) {
                query.setParameter("to", to);
            }
            return query;
        }
    }

    public record Page(List<AuditEvent> items, long total) {
    }

    /**
     * The events whose ids are kept in parts (V19: exports) and hold the record, occurred in
     * [{@code from}, {@code to}) (either may be null), as a PostgreSQL array literal; null when
     * there are none. Through the parts' GIN index, pruned to the window's months.
     */
    public static String heldBy(long recordId, Instant from, Instant to) {
        Object ids = getEntityManager().createNativeQuery("select cast(array_agg(event_id) as text) from audit_event_records"
                + " where record_ids @> array[cast(:id as bigint)]"
                + " and occurred_at >= coalesce(cast(:from as timestamptz), '-infinity'::timestamptz)"
                + " and occurred_at < coalesce(cast(:to as timestamptz), 'infinity'::timestamptz)")
                .setParameter("id", recordId)
                .setParameter("from", from == null ? null : java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC))
                .setParameter("to", to == null ? null : java.time.OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC))
                .getSingleResult();
        return (String) ids;
    }

    /**
     * A page of events and the total, planned for the values asked for. A prepared statement's
     * generic plan (what PostgreSQL switches to after five executions) cannot know that one
     * record's events are rare, so for {@code recordId=X} it walks the newest-first index of
     * every month filtering millions of rows (seconds on a large trail) instead of probing the
     * record and GIN indexes (milliseconds). Custom plans for these two
     * statements, in their own read-only transaction, keep the lookup on the indexes.
     */
    public static Page search(Filter filter, PageParams page) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            getEntityManager().createNativeQuery("set local plan_cache_mode = force_custom_plan").executeUpdate();
            Filter f = filter.withHeldBy();
            return new Page(list(f, page), count(f));
        });
    }

    @SuppressWarnings("unchecked")
    static List<AuditEvent> list(Filter filter, PageParams page) {
        // No result class on these native queries (the entity through addEntity, the count as a
        // Number): with one, every call put a new plan into Hibernate's shared cache (QueryPlanCacheTest).
        Query query = getEntityManager().unwrap(org.hibernate.Session.class).createNativeQuery("select * from audit_events"
                + filter.where() + " order by occurred_at desc, id desc limit :pageSize offset :pageOffset")
                .addEntity(AuditEvent.class);
        return filter.bind(query).setParameter("pageSize", page.size).setParameter("pageOffset", page.offset()).getResultList();
    }

    static long count(Filter filter) {
        Query query = getEntityManager().createNativeQuery("select count(*) from audit_events" + filter.where());
        return ((Number) filter.bind(query).getSingleResult()).longValue();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof AuditEvent other && id != null && Objects.equals(id, other.id));
    }

    @Override
    public int hashCode() {
        return AuditEvent.class.hashCode();
    }

    @Override
    public String toString() {
        return "AuditEvent[" + action + " " + recordType + " " + recordId + " " + outcome + "]";
    }
}
