package org.acme.healthcare.organization;

import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.VersionedEntity;

/** A clinic: its members share its patients. Members and invitations are removed with it (ON DELETE CASCADE). */
@Entity
@Table(name = "organizations")
public class Organization extends VersionedEntity {
    @Column(nullable = false, length = 200)
    public String name;

    /** Who created it; null once that account is gone. */
    @Column(name = "created_by", updatable = false)
    public Long createdBy;

    /** An organization and the caller's role in it. */
    public record WithRole(Organization organization, OrgRole role) {
    }

    /**
     * Locks the organization's row until the transaction ends, with PostgreSQL's {@code FOR UPDATE}
     * (not JPA's PESSIMISTIC_WRITE, which is {@code FOR NO KEY UPDATE}): besides other lockers, an
     * insert that references the row (a patient, a membership) waits for it in its foreign key
     * check. Every change that removes an admin, and the delete, take it before they count.
     *
     * @return false when there is no such organization
     */
    public static boolean lockForUpdate(long id) {
        return !getEntityManager().createNativeQuery("select id from organizations where id = ?1 for update")
                .setParameter(1, id).getResultList().isEmpty();
    }

    /** One page of the organizations the user belongs to, oldest first, each with the user's role. */
    public static List<WithRole> listOf(long userId, PageParams page) {
        return getEntityManager().createQuery("select o, m.role from Organization o join Membership m on m.organizationId = o.id"
                + " where m.userId = ?1 order by o.createdAt, o.id", Object[].class)
                .setParameter(1, userId).setFirstResult(page.offset()).setMaxResults(page.size)
                .getResultStream().map(row -> new WithRole((Organization) row[0], (OrgRole) row[1])).toList();
    }

    /** Served by memberships_user_idx. */
    public static long countOf(long userId) {
        return Membership.count("userId", userId);
    }

    /** Whether it still holds records that must not vanish with it: patients, mappings. */
    public static boolean holdsRecords(long id) {
        // System clients come in a later issue: they are counted here too.
        return (Boolean) getEntityManager().createNativeQuery("select exists (select 1 from patients where organization_id = :id)"
                + " or exists (select 1 from mappings where organization_id = :id)", Boolean.class)
                .setParameter("id", id).getSingleResult();
    }

    @Override
    public String toString() {
        return "Organization[id=" + id + ", version=" + version + "]";
    }
}
