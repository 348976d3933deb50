package org.acme.healthcare.organization;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import org.hibernate.annotations.CreationTimestamp;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * An invitation to join an organization with a role. Its code is shown once, to the admin who made
 * it; only the code's SHA-256 is stored. Used once: accepting sets {@link #acceptedAt}.
 */
@Entity
@Table(name = "invitations")
public class Invitation extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "organization_id", nullable = false, updatable = false)
    public Long organizationId;

    @Column(name = "code_hash", nullable = false, updatable = false, length = 64)
    public String codeHash;

    @Column(nullable = false, updatable = false, length = 10)
    public OrgRole role;

    @Column(name = "created_by", updatable = false)
    public Long createdBy;

    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false, updatable = false)
    public Instant expiresAt;

    @Column(name = "accepted_by")
    public Long acceptedBy;

    @Column(name = "accepted_at")
    public Instant acceptedAt;

    /**
     * The invitation with this code hash, its row locked until the transaction ends, so two
     * accepts of one code run one after the other and the second sees the first's
     * {@link #acceptedAt}. (JPA's PESSIMISTIC_WRITE, PostgreSQL's {@code FOR NO KEY UPDATE}:
     * it conflicts with itself, and no table references invitations.)
     */
    public static Optional<Invitation> lockByCodeHash(String codeHash) {
        return find("codeHash", codeHash).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** Not yet used and not expired. */
    public boolean isOpen(Instant now) {
        return acceptedAt == null && expiresAt.isAfter(now);
    }

    /** Never prints the code's hash. */
    @Override
    public String toString() {
        return "Invitation[id=" + id + ", organizationId=" + organizationId + "]";
    }
}
