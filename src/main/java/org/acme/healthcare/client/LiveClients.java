package org.acme.healthcare.client;

import java.util.List;
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
 * Whether a system token's client is still registered and not revoked: the database look-up behind
 * every request with a system token, cached per replica for {@code HEALTHCARE_ACCOUNT_CACHE_TTL}
 * (as user/LiveSessions caches sessions, and for the same reasons in the same way: a revocation
 * is forgotten after its transaction completes, and an answer read before it committed but cached
 * after that is never used; {@link Generations}).
 * So on this replica a revocation holds for every request that starts after it was answered; other
 * replicas see it when their entry expires (and the access rule itself reads {@code revoked_at} on
 * every query, so no patient is read under a revoked client on any replica once it has committed).
 * Revocations are rare: one generation for all clients is enough.
 */
@ApplicationScoped
public class LiveClients {
    static final String CACHE = "live-clients";

    /** A live client: its row id, public id, organization and name. */
    public record Live(long id, String clientId, long organizationId, String name) {
    }

    record Answer(Optional<Live> live, long generation) {
    }

    private final Cache cache;
    private final Generations generations;

    LiveClients(@CacheName(CACHE) Cache cache, TransactionSynchronizationRegistry transactions) {
        this.cache = cache;
        this.generations = new Generations(1, transactions);
    }

    /** The cached answer when there is a current one; null otherwise (ask {@link #lookup}). */
    Optional<Live> cached(String clientId) {
        CompletableFuture<Object> entry = cache.as(CaffeineCache.class).getIfPresent(clientId);
        if (entry == null || !entry.isDone() || entry.isCompletedExceptionally()) {
            return null;
        }
        Answer answer = (Answer) entry.join();
        return generations.isCurrent(0, answer.generation()) ? answer.live() : null;
    }

    /** The client when it is registered and not revoked; empty otherwise. Blocking: call it on a worker thread. */
    Optional<Live> lookup(String clientId) {
        Optional<Live> known = cached(clientId);
        if (known != null) {
            return known;
        }
        long before = generations.current(0);
        Answer answer = new Answer(QuarkusTransaction.joiningExisting().call(() -> read(clientId)), before);
        cache.as(CaffeineCache.class).put(clientId, CompletableFuture.completedFuture(answer));
        return answer.live();
    }

    private static Optional<Live> read(String clientId) {
        // No result class named: see PatientAccess#list on Hibernate's plan cache.
        @SuppressWarnings("unchecked")
        List<Object[]> rows = SystemClient.getEntityManager().createNativeQuery(
                "select id, organization_id, name from system_clients where client_id = :c and revoked_at is null")
                .setParameter("c", clientId).getResultList();
        return rows.stream().findFirst().map(r -> new Live(((Number) r[0]).longValue(), clientId,
                ((Number) r[1]).longValue(), (String) r[2]));
    }

    /** Forgets this client once the current transaction (if any) has completed: call it in the transaction that revokes it. */
    void forget(String clientId) {
        generations.forgetAfterCompletion(0, () -> cache.invalidate(clientId).await().indefinitely());
    }
}
