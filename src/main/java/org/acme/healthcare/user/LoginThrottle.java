package org.acme.healthcare.user;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.acme.healthcare.common.HealthcareConfig;

import io.quarkus.hibernate.orm.panache.Panache;

/**
 * Counts failed logins per email and per client address in PostgreSQL, so every replica sees
 * the same counts. Once either reaches its limit within the window, further attempts are
 * refused (429) before any bcrypt work, until the window ends. A successful login clears the
 * email's count. Emails are counted whether or not an account exists, so the answers never
 * reveal which emails are registered.
 */
@ApplicationScoped
public class LoginThrottle {
    private final HealthcareConfig.Login config;

    LoginThrottle(HealthcareConfig config) {
        this.config = config.login();
    }

    static String emailKey(String normalizedEmail) {
        return "email:" + normalizedEmail;
    }

    static String clientKey(String client) {
        return "client:" + client;
    }

    /** Seconds until the email or the client may try again, when either is blocked now. */
    @Transactional
    public OptionalLong retryAfter(String normalizedEmail, String client) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em().createNativeQuery("""
                select throttle_key, failures,
                       ceil(extract(epoch from (window_start + make_interval(secs => :window) - now())))
                from login_throttle
                where throttle_key in (:email, :client) and window_start > now() - make_interval(secs => :window)""")
                .setParameter("window", config.window().toSeconds())
                .setParameter("email", emailKey(normalizedEmail))
                .setParameter("client", clientKey(client))
                .getResultList();
        long retry = 0;
        for (Object[] row : rows) {
            boolean isEmail = ((String) row[0]).startsWith("email:");
            int failures = ((Number) row[1]).intValue();
            int limit = isEmail ? config.maxFailuresPerEmail() : config.maxFailuresPerClient();
            if (failures >= limit) {
                retry = Math.max(retry, ((Number) row[2]).longValue());
            }
        }
        return retry > 0 ? OptionalLong.of(retry) : OptionalLong.empty();
    }

    @Transactional
    public void recordFailure(String normalizedEmail, String client) {
        for (String key : new String[] { emailKey(normalizedEmail), clientKey(client) }) {
            em().createNativeQuery("""
                    insert into login_throttle (throttle_key, failures, window_start) values (:key, 1, now())
                    on conflict (throttle_key) do update set
                      failures = case when login_throttle.window_start <= now() - make_interval(secs => :window)
                                      then 1 else login_throttle.failures + 1 end,
                      window_start = case when login_throttle.window_start <= now() - make_interval(secs => :window)
                                          then now() else login_throttle.window_start end""")
                    .setParameter("key", key)
                    .setParameter("window", config.window().toSeconds())
                    .executeUpdate();
        }
        if (ThreadLocalRandom.current().nextInt(100) == 0) {
            // Now and then, forget windows that ended long ago.
            em().createNativeQuery("delete from login_throttle where window_start < now() - make_interval(secs => :twice)")
                    .setParameter("twice", 2 * config.window().toSeconds())
                    .executeUpdate();
        }
    }

    @Transactional
    public void recordSuccess(String normalizedEmail) {
        em().createNativeQuery("delete from login_throttle where throttle_key = :key")
                .setParameter("key", emailKey(normalizedEmail))
                .executeUpdate();
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }
}
