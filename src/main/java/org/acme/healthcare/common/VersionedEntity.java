package org.acme.healthcare.common;

import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;

import org.hibernate.Hibernate;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The columns every changeable record has: a database-generated id, creation and update times,
 * and the optimistic-locking version that is also the record's ETag. Equality is by id within
 * one entity type (lazy proxies included), so an unsaved entity equals only itself.
 */
@MappedSuperclass
public abstract class VersionedEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    @Override
    public final boolean equals(Object o) {
        return this == o || (o instanceof VersionedEntity other && id != null
                && Hibernate.getClass(this) == Hibernate.getClass(other) && Objects.equals(id, other.id));
    }

    @Override
    public final int hashCode() {
        return Hibernate.getClass(this).hashCode();
    }
}
