package org.acme.healthcare.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.acme.healthcare.common.HealthcareConfig;

import io.quarkus.hibernate.orm.panache.Panache;

/**
 * Counts failed logins in PostgreSQL, so every replica sees the same counts, under three keys,
 * each with its own limit within the window:
 * <ul>
 * <li>per email <em>and</em> client (5): what stops one client guessing one account's
 * password. The account's owner, on another client, is not affected;</li>
 * <li>per email alone (100): a much higher ceiling that still stops a guess spread over many
 * clients; only such a distributed attack can lock the owner out, and only for the window;</li>
 * <li>per client alone (50): one client trying many emails.</li>
 * </ul>
 * Once a key reaches its limit, further attempts it covers are refused (429) before any bcrypt
 * work, until the window ends. A successful login clears its email-and-client count. Emails are
 * counted whether or not an account exists, so the answers never reveal which are registered.
 * Registrations are counted per client too (every attempt, whatever its answer), which bounds how
 * fast the 409 for a taken email can be used to find out who has an account.
 */
@ApplicationScoped
public class LoginThrottle {
    private final HealthcareConfig.Login login;
    private final HealthcareConfig.Registration registration;

    LoginThrottle(HealthcareConfig config) {
        this.login = config.login();
        this.registration = config.registration();
    }

    static String emailKey(String normalizedEmail) {
        return "email:" + normalizedEmail;
    }

    static String clientKey(String client) {
        return "client:" + client;
    }

    /** The pair, hashed: an email (254) and an address (64) do not fit the key column together. */
    static String pairKey(String normalizedEmail, String client) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((normalizedEmail + "\n" + client).getBytes(StandardCharsets.UTF_8));
            return "pair:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String registrationKey(String client) {
        return "register:" + client;
    }

    /** Seconds until this email may be tried again from this client, when it is blocked now. */
    @Transactional
    public OptionalLong retryAfter(String normalizedEmail, String client) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em().createNativeQuery("""
                select throttle_key, failures,
                       ceil(extract(epoch from (window_start + make_interval(secs => :window) - now())))
                from login_throttle
                where throttle_key in (:pair, :email, :client) and window_start > now() - make_interval(secs => :window)""")
                .setParameter("window", login.window().toSeconds())
                .setParameter("pair", pairKey(normalizedEmail, client))
                .setParameter("email", emailKey(normalizedEmail))
                .setParameter("client", clientKey(client))
                .getResultList();
        long retry = 0;
        for (Object[] row : rows) {
            String key = (String) row[0];
            int limit = key.startsWith("pair:") ? login.maxFailuresPerEmailAndClient()
                    : key.startsWith("email:") ? login.maxFailuresPerEmail() : login.maxFailuresPerClient();
            if (((Number) row[1]).intValue() >= limit) {
                retry = Math.max(retry, ((Number) row[2]).longValue());
            }
        }
        return retry > 0 ? OptionalLong.of(retry) : OptionalLong.empty();
    }

    @Transactional
    public void recordFailure(String normalizedEmail, String client) {
        for (String key : List.of(pairKey(normalizedEmail, client), emailKey(normalizedEmail), clientKey(client))) {
            count(key, login.window().toSeconds());
        }
        if (ThreadLocalRandom.current().nextInt(100) == 0) {
            // Now and then, forget windows that ended long ago.
            long longest = Math.max(login.window().toSeconds(), registration.window().toSeconds());
            em().createNativeQuery("delete from login_throttle where window_start < now() - make_interval(secs => :twice)")
                    .setParameter("twice", 2 * longest)
                    .executeUpdate();
        }
    }

    /** The owner got in from this client: its email-and-client count starts again. */
    @Transactional
    public void recordSuccess(String normalizedEmail, String client) {
        em().createNativeQuery("delete from login_throttle where throttle_key = :key")
                .setParameter("key", pairKey(normalizedEmail, client))
                .executeUpdate();
    }

    /** Counts one registration attempt from this client; the seconds to wait when it is one too many. */
    @Transactional
    public OptionalLong countRegistration(String client) {
        Object[] row = count(registrationKey(client), registration.window().toSeconds());
        return ((Number) row[0]).intValue() > registration.maxPerClient()
                ? OptionalLong.of(Math.max(1, ((Number) row[1]).longValue()))
                : OptionalLong.empty();
    }

    /** One more under this key in the current window (a new window when the last one ended): the count and the seconds left. */
    private static Object[] count(String key, long windowSeconds) {
        return (Object[]) em().createNativeQuery("""
                insert into login_throttle (throttle_key, failures, window_start) values (:key, 1, now())
                on conflict (throttle_key) do update set
                  failures = case when login_throttle.window_start <= now() - make_interval(secs => :window)
                                  then 1 else login_throttle.failures + 1 end,
                  window_start = case when login_throttle.window_start <= now() - make_interval(secs => :window)
                                      then now() else login_throttle.window_start end
                returning failures, ceil(extract(epoch from (window_start + make_interval(secs => :window) - now())))""")
                .setParameter("key", key)
                .setParameter("window", windowSeconds)
                .getSingleResult();
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }
}
