package org.acme.healthcare.patient;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.acme.healthcare.common.PageParams;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;

/**
 * Read access to one restricted patient for one member, with the reason given, until it expires.
 * Whether a grant is live is part of {@link PatientAccess}'s rule; here it is only written and
 * listed for the organization's admins.
 */
@Entity
@Table(name = "break_glass_grants")
public class BreakGlassGrant extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "organization_id", nullable = false, updatable = false)
    public Long organizationId;

    @Column(name = "patient_id", nullable = false, updatable = false)
    public Long patientId;

    @Column(name = "user_id", nullable = false, updatable = false)
    public Long userId;

    @Column(nullable = false, updatable = false, length = 500)
    public String reason;

    @Column(name = "granted_at", nullable = false, updatable = false)
    public Instant grantedAt;

    @Column(name = "expires_at", nullable = false, updatable = false)
    public Instant expiresAt;

    /** One page of an organization's grants, newest first (break_glass_review_idx). */
    public static List<BreakGlassGrant> ofOrganization(long organizationId, PageParams page) {
        return find("organizationId = ?1 order by grantedAt desc, id desc", organizationId)
                .page(Page.of(page.page, page.size)).list();
    }

    public static long countOfOrganization(long organizationId) {
        return count("organizationId", organizationId);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof BreakGlassGrant other && id != null && Objects.equals(id, other.id));
    }

    @Override
    public int hashCode() {
        return BreakGlassGrant.class.hashCode();
    }

    /** Never prints the reason (it may name the patient's situation). */
    @Override
    public String toString() {
        return "BreakGlassGrant[id=" + id + ", patientId=" + patientId + ", userId=" + userId + "]";
    }
}
