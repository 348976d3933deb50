package org.acme.healthcare.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/**
 * A system client of an organization (SMART Backend Services): its public {@link #clientId}, the
 * public keys its assertions are signed with and the system scopes it may be granted. Revoked once,
 * for good ({@link #revokedAt}).
 */
@Entity
@Table(name = "system_clients")
public class SystemClient extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "client_id", nullable = false, updatable = false, length = 64)
    public String clientId;

    @Column(name = "organization_id", nullable = false, updatable = false)
    public Long organizationId;

    @Column(nullable = false, updatable = false, length = 200)
    public String name;

    @Column(nullable = false, updatable = false, length = 2000)
    public String scope;

    /** The registered public JWK Set, as registered ({@code {"keys": [...]}}). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    public Map<String, Object> jwks;

    @Column(name = "created_by", updatable = false)
    public Long createdBy;

    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** The organization's clients that are not revoked, oldest first. */
    static List<SystemClient> listLive(long organizationId, int page, int size) {
        return find("organizationId = ?1 and revokedAt is null", Sort.by("createdAt").and("id"), organizationId)
                .page(Page.of(page, size)).list();
    }

    static long countLive(long organizationId) {
        return count("organizationId = ?1 and revokedAt is null", organizationId);
    }

    /** A live client of this organization, its row locked until the transaction ends (a revoke). */
    static Optional<SystemClient> lockLive(long organizationId, String clientId) {
        return find("organizationId = ?1 and clientId = ?2 and revokedAt is null", organizationId, clientId)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** Any client by its public id, revoked or not. */
    static Optional<SystemClient> byClientId(String clientId) {
        return find("clientId", clientId).firstResultOptional();
    }

    @Override
    public String toString() {
        return "SystemClient[id=" + id + ", organizationId=" + organizationId + "]";
    }
}
