package org.acme.healthcare.patient;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.acme.healthcare.common.VersionedEntity;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.envers.AuditOverride;
import org.hibernate.envers.Audited;
import org.hibernate.type.SqlTypes;



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

    /** As typed; answered only while there is no {@link #birthDate} (then the age is computed: {@link #age()}). */
    public Integer age;

    @Column(name = "birth_date")
    public LocalDate birthDate;

    @Column(name = "family_name", length = 200)
    public String familyName;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "given_names")
    public List<String> givenNames;

    /** Unique in the record's space: the database keeps patient_identifiers from this column (V15). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<Identifier> identifiers = new ArrayList<>();

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

    /** Computed from the birth date (UTC today) when there is one, else the age as typed. */
    public Integer age() {
        return birthDate == null ? age : Integer.valueOf(ageOn(birthDate, LocalDate.now(ZoneOffset.UTC)));
    }

    static int ageOn(LocalDate birthDate, LocalDate today) {
        return java.time.Period.between(birthDate, today).getYears();
    }

    public static boolean exists(long id) {
        return count("id", id) > 0;
    }

    /** Never prints clinical or identifying fields. */
    @Override
    public String toString() {
        return "Patient[id=" + id + ", ownerId=" + ownerId + ", organizationId=" + organizationId + ", version=" + version + "]";
    }
}
