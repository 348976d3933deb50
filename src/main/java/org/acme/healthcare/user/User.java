package org.acme.healthcare.user;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PrePersist;
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

    /**
     * The email's confusable skeleton ({@link Emails#skeleton}), unique: a look-alike of an existing
     * account's email cannot be registered, even by two requests at once. Set on insert only; null
     * only for an account that already had a look-alike when V10 ran (the older one keeps it).
     */
    @Column(name = "email_skeleton", updatable = false)
    public String emailSkeleton;

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

    /**
     * An account whose email is this one (normalised) or looks like it (the same {@link Emails#skeleton}).
     * {@code lower(email)} so that the unique index on it serves, beside the skeleton's.
     */
    public static boolean existsWithEmailOrLookAlike(String email) {
        String normalized = Emails.normalize(email);
        return count("lower(email) = ?1 or emailSkeleton = ?2", normalized, Emails.skeleton(normalized)) > 0;
    }

    /** An account whose email looks like this one (the same skeleton) without being it. */
    public static Optional<User> findLookAlike(String email) {
        String normalized = Emails.normalize(email);
        return find("emailSkeleton = ?1 and email <> ?2", Emails.skeleton(normalized), normalized).firstResultOptional();
    }

    @PrePersist
    void computeEmailSkeleton() {
        emailSkeleton = Emails.skeleton(email);
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
