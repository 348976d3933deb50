package org.acme.healthcare.user;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import org.acme.healthcare.common.PageParams;
import org.hibernate.annotations.DynamicUpdate;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;

/**
 * One login of one account: the access tokens it issues name it in {@code sid}, its refresh
 * tokens ({@link RefreshToken}) belong to it. A session is live until it ends (logout, deleted,
 * password change, account disabled, refresh token replayed), reaches its absolute end
 * (the login plus the maximum lifetime) or goes unused for the idle timeout.
 */
@Entity
@Table(name = "sessions")
@DynamicUpdate // a refresh writes only what it changes, never a stale ended_at
public class Session extends PanacheEntityBase {
    /** Why a session ended, as stored in {@code end_reason}. */
    public enum EndReason {
        LOGOUT("logout"), REVOKED("revoked"), PASSWORD_CHANGE("password_change"), DISABLED("disabled"), REPLAY("replay");

        final String code;

        EndReason(String code) {
            this.code = code;
        }
    }

    /** Live: not ended, not past its absolute end, and used recently enough (the bounds come from {@link Limits}). */
    static final String LIVE = "endedAt is null and expiresAt > current_timestamp and createdAt > :bornAfter and lastUsedAt > :usedAfter";

    /** How long a session may live at all, and without being used. */
    public record Limits(Duration maxLifetime, Duration idleTimeout) {
        Parameters live(long userId) {
            Instant now = Instant.now();
            return Parameters.with("user", userId).and("bornAfter", now.minus(maxLifetime)).and("usedAfter", now.minus(idleTimeout));
        }

        /** When this session ends whatever happens: its login plus the maximum lifetime (or sooner, for a row stored so). */
        public Instant absoluteEndOf(Session s) {
            Instant max = s.createdAt.plus(maxLifetime);
            return s.expiresAt.isBefore(max) ? s.expiresAt : max;
        }

        /** When this session ends unless it is used again: its absolute end or its idle end, whichever is first. */
        public Instant endOf(Session s) {
            Instant end = absoluteEndOf(s);
            Instant idleEnd = s.lastUsedAt.plus(idleTimeout);
            return idleEnd.isBefore(end) ? idleEnd : end;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id", nullable = false, updatable = false)
    public long userId;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "last_used_at", nullable = false)
    public Instant lastUsedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "end_reason", length = 20)
    public String endReason;

    @Column(name = "user_agent", length = 256)
    public String userAgent;

    @Column(name = "client_address", length = 64)
    public String clientAddress;

    /** The account's live sessions, most recently used first. */
    public static List<Session> liveOf(long userId, Limits limits, PageParams page) {
        return find("userId = :user and " + LIVE + " order by lastUsedAt desc, id desc", limits.live(userId))
                .page(Page.of(page.page, page.size)).list();
    }

    public static long countLiveOf(long userId, Limits limits) {
        return count("userId = :user and " + LIVE, limits.live(userId));
    }

    /** The session, its row locked until the transaction ends: an end committed by another request is seen, and waits for this one. */
    static Session lock(long id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Ends one live session of this account; false when there is none with that id (or it is someone else's). */
    public static boolean end(long sessionId, long userId, EndReason reason) {
        return update("endedAt = current_timestamp, endReason = :reason where id = :id and userId = :user and endedAt is null",
                Parameters.with("reason", reason.code).and("id", sessionId).and("user", userId)) > 0;
    }

    /** Ends every live session of the account but {@code keep} (null: all of them): the ids of those it ended. */
    @SuppressWarnings("unchecked")
    public static List<Long> endAllOf(long userId, Long keep, EndReason reason) {
        List<Number> ids = getEntityManager().createNativeQuery("""
                update sessions set ended_at = now(), end_reason = :reason
                where user_id = :user and ended_at is null and id <> :keep
                returning id""")
                .setParameter("reason", reason.code).setParameter("user", userId).setParameter("keep", keep == null ? -1L : keep)
                .getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    /** Sessions that expired, or ended, longer ago than {@code keepFor}: removed by the clean-up, their refresh tokens with them. */
    public static long deleteOlderThan(Instant cutoff) {
        return delete("expiresAt < ?1 or endedAt < ?1", cutoff);
    }

    @Override
    public String toString() {
        return "Session[id=" + id + ", userId=" + userId + "]";
    }
}
