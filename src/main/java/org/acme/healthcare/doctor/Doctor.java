package org.acme.healthcare.doctor;

import java.util.List;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.acme.healthcare.common.ListQuery;
import org.acme.healthcare.common.ListSort;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.VersionedEntity;


/** A doctor in the shared directory. Anyone signed in may add one; its creator or an admin may change it. */
@Entity
@Table(name = "doctors")
public class Doctor extends VersionedEntity {
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
    public String toString() {
        return "Doctor[id=" + id + ", version=" + version + "]";
    }
}
