package org.acme.healthcare.patient;


import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.acme.healthcare.common.VersionedEntity;
import org.hibernate.envers.AuditOverride;
import org.hibernate.envers.Audited;



/**
 * A patient record: personal (its owner's) or an organization's; who may read and change it is
 * {@link PatientAccess}'s query, never decided here. Every version is kept by Envers
 * (patients_history, with the inherited id, timestamps and version: see PatientHistory).
 */
@Entity
@Audited
@AuditOverride(forClass = VersionedEntity.class)
@Table(name = "patients")
public class Patient extends VersionedEntity {
    /** Who created the record: its owner while it is personal, its creator once in an organization. */
    @Column(name = "owner_id", nullable = false, updatable = false)
    public Long ownerId;

    /** The organization the record belongs to; null for a personal record. Set once, never cleared. */
    @Column(name = "organization_id")
    public Long organizationId;

    /** Readable only by its creator, its organization's admins and break-glass grant holders. */
    @Column(nullable = false)
    public boolean restricted;

    @Column(nullable = false, length = 200)
    public String name;

    public Integer age;

    @Column(length = 10)
    public Gender gender;

    @Column(length = 500)
    public String address;

    @Column(length = 50)
    public String phone;

    @Column(length = 254)
    public String email;

    @Column(length = 2000)
    public String disease;

    public static boolean exists(long id) {
        return count("id", id) > 0;
    }

    /** Never prints clinical or identifying fields. */
    @Override
    public String toString() {
        return "Patient[id=" + id + ", ownerId=" + ownerId + ", organizationId=" + organizationId + ", version=" + version + "]";
    }
}
