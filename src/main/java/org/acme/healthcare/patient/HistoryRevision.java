package org.acme.healthcare.patient;

import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.envers.RevisionEntity;
import org.hibernate.envers.RevisionNumber;
import org.hibernate.envers.RevisionTimestamp;

/**
 * One changing transaction in the history of patient records (Envers' revision entity): when,
 * and by whom ({@link HistoryRevisionListener} sets the actor from the caller's token).
 */
@Entity
@Table(name = "history_revisions")
@RevisionEntity(HistoryRevisionListener.class)
public class HistoryRevision {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @RevisionNumber
    public Long id;

    @RevisionTimestamp
    @Column(name = "changed_at", nullable = false, updatable = false)
    public Instant changedAt;

    /** User id of the caller; null when no signed-in user made the change (the V7 baseline). */
    @Column(name = "actor_id", updatable = false)
    public Long actorId;

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof HistoryRevision other && id != null && Objects.equals(id, other.id));
    }

    @Override
    public int hashCode() {
        return HistoryRevision.class.hashCode();
    }

    @Override
    public String toString() {
        return "HistoryRevision[id=" + id + ", actorId=" + actorId + "]";
    }
}
