package org.acme.healthcare.client;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * The {@code jti}s of the client assertions that got a token, kept in PostgreSQL until the
 * assertion expires (plus the clock skew), so a replay is refused on every replica. Of two requests
 * with one assertion at once, the primary key lets exactly one INSERT through: the other waits for
 * it to commit, then inserts nothing.
 */
@ApplicationScoped
public class UsedJtis {
    private static final Logger LOG = Logger.getLogger(UsedJtis.class);

    /** Marks the jti used, in the caller's transaction; false when it was used already (a replay). */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean spend(long client, String jti, long expiresAtEpochSecond) {
        OffsetDateTime keepUntil = OffsetDateTime.ofInstant(
                Instant.ofEpochSecond(expiresAtEpochSecond + ClientAssertions.SKEW_SECONDS), ZoneOffset.UTC);
        int inserted = SystemClient.getEntityManager().createNativeQuery("insert into client_assertion_jtis"
                + " (client_id, jti, expires_at) values (:client, :jti, :until) on conflict do nothing")
                .setParameter("client", client).setParameter("jti", jti).setParameter("until", keepUntil)
                .executeUpdate();
        return inserted == 1;
    }

    /** Every ten minutes: jtis whose assertions can no longer be accepted go (any replica; a delete races nothing). */
    @Scheduled(every = "10m", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purgeExpired() {
        int removed = SystemClient.getEntityManager()
                .createNativeQuery("delete from client_assertion_jtis where expires_at < now()").executeUpdate();
        if (removed > 0) {
            LOG.debugf("Removed %d expired client assertion jtis", removed);
        }
    }
}
