package org.acme.healthcare.organization;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.acme.healthcare.common.PageParams;
import org.hibernate.annotations.CreationTimestamp;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A user's membership of an organization, with its role. Never cached: every access check reads
 * this table ({@link #roleOf}), so a removal or role change holds on every replica as soon as it
 * commits.
 */
@Entity
@Table(name = "memberships")
@IdClass(Membership.Key.class)
public class Membership extends PanacheEntityBase {
    @Id
    @Column(name = "organization_id")
    public Long organizationId;

    @Id
    @Column(name = "user_id")
    public Long userId;

    @Column(nullable = false, length = 10)
    public OrgRole role;

    @CreationTimestamp
    @Column(name = "joined_at", nullable = false, updatable = false)
    public Instant joinedAt;

    /** The composite primary key (memberships_pk). */
    public static class Key implements Serializable {
        public Long organizationId;
        public Long userId;

        public Key() {
        }

        public Key(long organizationId, long userId) {
            this.organizationId = organizationId;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object o) {
            return this == o || (o instanceof Key k && Objects.equals(organizationId, k.organizationId)
                    && Objects.equals(userId, k.userId));
        }

        @Override
        public int hashCode() {
            return Objects.hash(organizationId, userId);
        }
    }

    /** A member as the members list shows them. */
    public record Member(long userId, String name, String email, OrgRole role, Instant joinedAt) {
    }

    /**
     * The user's role in the organization now, read from the database (a scalar query, so never a
     * stale entity of this transaction's persistence context); empty for a non-member or an
     * unknown organization. The probe of every access check (the primary key serves it).
     */
    public static Optional<OrgRole> roleOf(long organizationId, long userId) {
        return getEntityManager().createQuery("select m.role from Membership m where m.organizationId = ?1 and m.userId = ?2",
                OrgRole.class).setParameter(1, organizationId).setParameter(2, userId).getResultStream().findFirst();
    }

    public static Optional<Membership> find(long organizationId, long userId) {
        return findByIdOptional(new Key(organizationId, userId));
    }

    public static long countAdmins(long organizationId) {
        return count("organizationId = ?1 and role = ?2", organizationId, OrgRole.ADMIN);
    }

    /** One page of the organization's members, in the order they joined. */
    public static List<Member> members(long organizationId, PageParams page) {
        return getEntityManager().createQuery("select m.userId, u.name, u.email, m.role, m.joinedAt from Membership m"
                + " join User u on u.id = m.userId where m.organizationId = ?1 order by m.joinedAt, m.userId", Object[].class)
                .setParameter(1, organizationId).setFirstResult(page.offset()).setMaxResults(page.size)
                .getResultStream().map(Membership::member).toList();
    }

    public static Optional<Member> member(long organizationId, long userId) {
        return getEntityManager().createQuery("select m.userId, u.name, u.email, m.role, m.joinedAt from Membership m"
                + " join User u on u.id = m.userId where m.organizationId = ?1 and m.userId = ?2", Object[].class)
                .setParameter(1, organizationId).setParameter(2, userId)
                .getResultStream().map(Membership::member).findFirst();
    }

    public static long countMembers(long organizationId) {
        return count("organizationId", organizationId);
    }

    private static Member member(Object[] row) {
        return new Member((Long) row[0], (String) row[1], (String) row[2], (OrgRole) row[3], (Instant) row[4]);
    }

    @Override
    public String toString() {
        return "Membership[organizationId=" + organizationId + ", userId=" + userId + ", role=" + role + "]";
    }
}
