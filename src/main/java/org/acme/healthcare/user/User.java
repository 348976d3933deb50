package org.acme.healthcare.user;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import org.acme.healthcare.common.PageParams;
import org.acme.healthcare.common.Roles;
import org.acme.healthcare.common.VersionedEntity;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/** An account. The email is stored normalised ({@link Emails}); the password only as a bcrypt hash. */
@Entity
@Table(name = "users")
public class User extends VersionedEntity {
    @Column(nullable = false, length = 200)
    public String name;

    @Column(nullable = false, length = 254)
    public String email;

    @Column(name = "password_hash", nullable = false, length = 100)
    public String passwordHash;

    @Column(nullable = false, length = 10)
    public String role = Roles.USER;

    /** A disabled account cannot log in or refresh, and has no live session. */
    @Column(nullable = false)
    public boolean disabled;

    /** By email, normalised as every stored email is ({@link Emails#normalize}). */
    public static Optional<User> findByEmail(String email) {
        return find("email", Emails.normalize(email)).firstResultOptional();
    }

    public static List<User> page(PageParams params) {
        return findAll(Sort.by("createdAt").and("id")).page(Page.of(params.page, params.size)).list();
    }

    /**
     * The active (enabled) admins, locked until the transaction ends, so two demotions or
     * disablings cannot both pass the last-active-admin check.
     */
    public static List<User> lockActiveAdmins() {
        return find("role = ?1 and disabled = false", Roles.ADMIN).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    @Override
    public String toString() {
        return "User[id=" + id + ", role=" + role + ", disabled=" + disabled + "]";
    }
}
