package org.acme.healthcare.user;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.acme.healthcare.common.PageParams;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;

/**
 * One login of one account: the access tokens it issues name it in {@code sid}, its refresh
 * tokens ({@link RefreshToken}) belong to it. A session is live until it ends (logout, deleted,
 * password change, account disabled, refresh token replayed) or expires.
 */
@Entity
@Table(name = "sessions")
public class Session extends PanacheEntityBase {
    /** Why a session ended, as stored in {@code end_reason}. */
    public enum EndReason {
        LOGOUT("logout"), REVOKED("revoked"), PASSWORD_CHANGE("password_change"), DISABLED("disabled"), REPLAY("replay");

        final String code;

        EndReason(String code) {
            this.code = code;
        }
    }

    static final String LIVE = "endedAt is null and expiresAt > current_timestamp";

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
    public static List<Session> liveOf(long userId, PageParams page) {
        return find("userId = ?1 and " + LIVE + " order by lastUsedAt desc, id desc", userId)
                .page(Page.of(page.page, page.size)).list();
    }

    public static long countLiveOf(long userId) {
        return count("userId = ?1 and " + LIVE, userId);
    }

    /** Ends one live session of this account; false when there is none with that id (or it is someone else's). */
    public static boolean end(long sessionId, long userId, EndReason reason) {
        return update("endedAt = current_timestamp, endReason = :reason where id = :id and userId = :user and endedAt is null",
                Parameters.with("reason", reason.code).and("id", sessionId).and("user", userId)) > 0;
    }

    /** Ends every live session of the account but {@code keep} (null: all of them). */
    public static int endAllOf(long userId, Long keep, EndReason reason) {
        return update("endedAt = current_timestamp, endReason = :reason where userId = :user and endedAt is null and id <> :keep",
                Parameters.with("reason", reason.code).and("user", userId).and("keep", keep == null ? -1L : keep));
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
