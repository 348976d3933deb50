package org.acme.healthcare.doctor;

import java.util.List;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.acme.healthcare.common.Like;
import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.VersionedEntity;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;


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

    public static List<Doctor> list(String q, Sort sort, PageParams page) {
        return search(q, sort).page(page.toPage()).list();
    }

    public static long count(String q) {
        return search(q, Sort.by("id")).count();
    }

    /** Every doctor, or those whose name or specialization contains {@code q}. */
    static PanacheQuery<Doctor> search(String q, Sort sort) {
        if (q == null || q.isBlank()) {
            return findAll(sort);
        }
        return find("lower(name) like :q escape '!' or lower(specialization) like :q escape '!'", sort,
                Parameters.with("q", Like.contains(q)));
    }

    @Override
    public String toString() {
        return "Doctor[id=" + id + ", version=" + version + "]";
    }
}
