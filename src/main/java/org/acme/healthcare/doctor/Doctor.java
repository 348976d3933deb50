package org.acme.healthcare.doctor;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.acme.healthcare.common.ListQuery;
import org.acme.healthcare.common.ListSort;
import org.acme.healthcare.common.PageParams;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A doctor in the shared directory. Anyone signed in may add one; its creator or an admin may change it. */
@Entity
@Table(name = "doctors")
public class Doctor extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "created_by", updatable = false)
    public Long createdBy;

    @Column(nullable = false, length = 200)
    public String name;

    @Column(length = 200)
    public String specialization;

    @Column(length = 254)
    public String email;

    @Column(length = 50)
    public String phone;

    @Column(name = "contact_info", length = 1000)
    public String contactInfo;

    public Integer age;

    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    public boolean mayBeChangedBy(long userId, boolean admin) {
        return admin || Objects.equals(createdBy, userId);
    }

    public static List<Doctor> list(String q, ListSort sort, PageParams page) {
        return query(q).page(Doctor.class, sort.orderBy, page);
    }

    public static long count(String q) {
        return query(q).count(Doctor.class);
    }

    private static ListQuery query(String q) {
        return new ListQuery().contains(q, "name", "specialization");
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Doctor other && id != null && Objects.equals(id, other.id));
    }

    @Override
    public int hashCode() {
        return Doctor.class.hashCode();
    }

    @Override
    public String toString() {
        return "Doctor[id=" + id + ", version=" + version + "]";
    }
}
