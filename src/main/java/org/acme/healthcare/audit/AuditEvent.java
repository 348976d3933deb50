package org.acme.healthcare.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.acme.healthcare.common.ListQuery;
import org.acme.healthcare.common.PageParams;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

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

    @Column(nullable = false, updatable = false, length = 20)
    public String outcome;

    @Column(name = "request_id", updatable = false, length = 64)
    public String requestId;

    @Column(name = "client_address", updatable = false, length = 64)
    public String clientAddress;

    /** The filters of GET /api/audit; every one optional. */
    public record Filter(Long actor, String recordType, Long recordId, Instant from, Instant to) {
        ListQuery query() {
            return new ListQuery()
                    .whereIf(actor != null, "actorId = :actor", "actor", actor)
                    .whereIf(recordType != null, "recordType = :recordType", "recordType", recordType)
                    .whereIf(recordId != null, "recordId = :recordId", "recordId", recordId)
                    .whereIf(from != null, "occurredAt >= :from", "from", from)
                    .whereIf(to != null, "occurredAt < :to", "to", to);
        }
    }

    public static List<AuditEvent> list(Filter filter, PageParams page) {
        return filter.query().page(AuditEvent.class, "occurredAt desc, id desc", page);
    }

    public static long count(Filter filter) {
        return filter.query().count(AuditEvent.class);
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
