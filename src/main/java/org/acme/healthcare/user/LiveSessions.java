package org.acme.healthcare.user;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CacheResult;

/**
 * Whether a token's session is still live, and the role its account has now: the one database
 * look-up behind every authenticated request, cached per replica for
 * {@code HEALTHCARE_ACCOUNT_CACHE_TTL}. Ending a session, changing a password, disabling an
 * account or changing its role forgets the cached answers here at once; other replicas see the
 * change when their entry expires.
 */
@ApplicationScoped
public class LiveSessions {
    static final String CACHE = "live-sessions";

    /** A session as a token names it: {@code sid} and {@code sub} together. */
    public record Key(long sessionId, long userId) {
    }

    private final Cache cache;

    LiveSessions(@CacheName(CACHE) Cache cache) {
        this.cache = cache;
    }

    /**
     * The account's role when the session is live, belongs to that account and the account is
     * enabled; empty otherwise. Notes the session as used (so {@code lastUsedAt} is exact to
     * within the cache time, without a write on every request).
     */
    @CacheResult(cacheName = CACHE)
    @Transactional
    public Optional<String> roleOf(Key key) {
        @SuppressWarnings("unchecked")
        List<String> role = Session.getEntityManager().createNativeQuery("""
                update sessions s set last_used_at = now()
                from users u
                where s.id = :sid and s.user_id = :uid and u.id = s.user_id
                  and s.ended_at is null and s.expires_at > now() and not u.disabled
                returning u.role""")
                .setParameter("sid", key.sessionId())
                .setParameter("uid", key.userId())
                .getResultList();
        return role.stream().findFirst();
    }

    public void forget(long sessionId, long userId) {
        cache.invalidate(new Key(sessionId, userId)).await().indefinitely();
    }

    /** Forgets every cached session of the account but {@code keep} (null: all). */
    public void forgetAllOf(long userId, Long keep) {
        cache.invalidateIf(k -> k instanceof Key key && key.userId() == userId && !Objects.equals(key.sessionId(), keep))
                .await().indefinitely();
    }

    Cache cache() {
        return cache;
    }
}
