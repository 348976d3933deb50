package org.acme.healthcare.condition;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.acme.healthcare.common.VersionedEntity;
import org.hibernate.envers.AuditOverride;
import org.hibernate.envers.Audited;

/**
 * One of a patient's problems (contract part 2, "Conditions"), coded or as text. Who may read or
 * change it is its patient's rule ({@code PatientAccess}); every version is kept by Envers
 * (conditions_history, V15).
 */
@Entity
@Audited
@AuditOverride(forClass = VersionedEntity.class)
@Table(name = "conditions")
public class Condition extends VersionedEntity {
    @Column(name = "patient_id", nullable = false, updatable = false)
    public Long patientId;

    @Column(name = "code_system", length = 40)
    public String codeSystem;

    @Column(length = 20)
    public String code;

    @Column(name = "code_display", length = 500)
    public String codeDisplay;

    @Column(length = 2000)
    public String text;

    @Column(nullable = false, length = 20)
    public String category;

    @Column(name = "clinical_status", length = 12)
    public String clinicalStatus;

    @Column(name = "verification_status", length = 12)
    public String verificationStatus;

    @Column(name = "onset_date")
    public LocalDate onsetDate;

    @Column(name = "abatement_date")
    public LocalDate abatementDate;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    /** The user who recorded it (null once that account is gone from the trail's point of view: ids only). */
    @Column(name = "recorded_by")
    public Long recordedBy;

    /** Never prints clinical fields. */
    @Override
    public String toString() {
        return "Condition[id=" + id + ", patientId=" + patientId + ", version=" + version + "]";
    }
}
