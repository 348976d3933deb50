package org.acme.healthcare.user;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.acme.healthcare.common.Generations;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Whether a token's session is still live, and the role its account has now: the one database
 * look-up behind every authenticated request, cached per replica for
 * {@code HEALTHCARE_ACCOUNT_CACHE_TTL}. Other replicas see a change when their entry expires.
 * <p>
 * On this replica a change holds from the moment it is answered: a change is forgotten after its
 * transaction completes, and an answer read before it committed but cached after that is never
 * used ({@link Generations}, striped by account).
 * A cached answer also stops holding when the session reaches its idle or absolute end.
 */
@ApplicationScoped
public class LiveSessions {
    static final String CACHE = "live-sessions";
    /** Generations are kept per stripe of accounts: a change costs its stripe's cached answers a reload, not everyone's. */
    private static final int STRIPES = 1024;

    /** A session as a token names it: {@code sid} and {@code sub} together. */
    public record Key(long sessionId, long userId) {
    }

    /** A cached answer: the role (empty: refused), its stripe's generation before it was read, and until when it holds. */
    record Answer(Optional<String> role, long generation, long holdsUntilMillis) {
    }

    private final Cache cache;
    private final Generations generations;
    private final long idleSeconds;
    private final long maxLifetimeSeconds;

    LiveSessions(@CacheName(CACHE) Cache cache, TransactionSynchronizationRegistry transactions, AccountsConfig config) {
        this.cache = cache;
        this.generations = new Generations(STRIPES, transactions);
        this.idleSeconds = config.sessions().idleTimeout().toSeconds();
        this.maxLifetimeSeconds = config.sessions().maxLifetime().toSeconds();
    }

    /** The cached answer for this session when there is one that still holds; null otherwise (ask {@link #roleOf}). */
    public Optional<String> cached(Key key) {
        CompletableFuture<Object> entry = cache.as(CaffeineCache.class).getIfPresent(key);
        if (entry == null || !entry.isDone() || entry.isCompletedExceptionally()) {
            return null;
        }
        Answer answer = (Answer) entry.join();
        boolean current = generations.isCurrent(key.userId(), answer.generation())
                && System.currentTimeMillis() < answer.holdsUntilMillis();
        return current ? answer.role() : null;
    }

    /**
     * The account's role when the session is live (not ended, not idle too long, not past its
     * absolute end), belongs to that account and the account is enabled; empty otherwise. Notes
     * the session as used, so {@code lastUsedAt} is exact to within the cache time without a
     * write on every request. Blocking: call it on a worker thread.
     */
    public Optional<String> roleOf(Key key) {
        Optional<String> known = cached(key);
        if (known != null) {
            return known;
        }
        long generation = generations.current(key.userId());
        Answer answer = QuarkusTransaction.joiningExisting().call(() -> read(key, generation));
        cache.as(CaffeineCache.class).put(key, CompletableFuture.completedFuture(answer));
        return answer.role();
    }

    private Answer read(Key key, long generation) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Session.getEntityManager().createNativeQuery("""
                update sessions s set last_used_at = now()
                from users u
                where s.id = :sid and s.user_id = :uid and u.id = s.user_id and not u.disabled
                  and s.ended_at is null and s.expires_at > now()
                  and s.created_at > now() - make_interval(secs => :max)
                  and s.last_used_at > now() - make_interval(secs => :idle)
                returning u.role, (extract(epoch from least(s.expires_at, s.created_at + make_interval(secs => :max),
                                                           now() + make_interval(secs => :idle))) * 1000)::bigint""")
                .setParameter("sid", key.sessionId())
                .setParameter("uid", key.userId())
                .setParameter("max", maxLifetimeSeconds)
                .setParameter("idle", idleSeconds)
                .getResultList();
        if (rows.isEmpty()) {
            // A refusal is cached too (a flood of requests with an ended session's token stays off
            // the database); nothing can make an ended session live again.
            return new Answer(Optional.empty(), generation, Long.MAX_VALUE);
        }
        return new Answer(Optional.of((String) rows.get(0)[0]), generation, ((Number) rows.get(0)[1]).longValue());
    }

    /**
     * Forgets this session once the current transaction (if any) has completed: call it in the
     * transaction that ends the session. Requests that start after that commit see the change.
     */
    public void forget(long sessionId, long userId) {
        generations.forgetAfterCompletion(userId, () -> cache.invalidate(new Key(sessionId, userId)).await().indefinitely());
    }

    /** Forgets every cached session of the account but {@code keep} (null: all), after the current transaction. */
    public void forgetAllOf(long userId, Long keep) {
        generations.forgetAfterCompletion(userId, () -> cache
                .invalidateIf(k -> k instanceof Key key && key.userId() == userId && !Objects.equals(key.sessionId(), keep))
                .await().indefinitely());
    }

}
