package org.acme.healthcare.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;


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
 * Each attempt takes its slot before its password is checked ({@link #take}), so concurrent
 * attempts cannot overrun a limit; once a key reaches its limit, further attempts it covers are
 * refused (429) before any bcrypt work, until the window ends. A successful login clears its
 * email-and-client count and gives its slot back to the other two. Emails are
 * counted whether or not an account exists, so the answers never reveal which are registered.
 * Registrations are counted per client too (every attempt, whatever its answer), which bounds how
 * fast the 409 for a taken email can be used to find out who has an account.
 */
@ApplicationScoped
public class LoginThrottle {
    private final AccountsConfig.Login login;
    private final AccountsConfig.Registration registration;

    LoginThrottle(AccountsConfig config) {
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

    /**
     * Takes a slot for one password check of this email from this client, before the check runs.
     * The email's two counts (with this client, and alone) go up together unless one of them is
     * at its limit, their rows locked in key order, so N concurrent attempts for one email get at
     * most the allowed number of checks. The client's own count (any email) is only read here and
     * counted after a failed check ({@link #failed}): it is shared by every login from one
     * address (a clinic behind one NAT), and a lock on it would queue all of them behind each other.
     * The answer is empty, or the seconds to wait.
     */
    @Transactional
    public OptionalLong take(String normalizedEmail, String client) {
        String[] keys = emailKeys(normalizedEmail, client);
        em().createNativeQuery("""
                insert into login_throttle (throttle_key, failures, window_start)
                select k, 0, now() from unnest(cast(:keys as text[])) as k order by k
                on conflict (throttle_key) do nothing""")
                .setParameter("keys", keys)
                .executeUpdate();
        String state = """
                select throttle_key,
                       case when window_start <= now() - make_interval(secs => :window) then 0 else failures end,
                       ceil(extract(epoch from (window_start + make_interval(secs => :window) - now())))
                from login_throttle where throttle_key = any(cast(:keys as text[]))""";
        @SuppressWarnings("unchecked")
        List<Object[]> rows = new ArrayList<>(em().createNativeQuery(state + " order by throttle_key for update")
                .setParameter("keys", keys)
                .setParameter("window", login.window().toSeconds())
                .getResultList());
        @SuppressWarnings("unchecked")
        List<Object[]> clientRow = em().createNativeQuery(state)
                .setParameter("keys", new String[] { clientKey(client) })
                .setParameter("window", login.window().toSeconds())
                .getResultList();
        rows.addAll(clientRow);
        long retry = 0;
        for (Object[] row : rows) {
            if (((Number) row[1]).intValue() >= limitOf((String) row[0])) {
                retry = Math.max(retry, Math.max(1, ((Number) row[2]).longValue()));
            }
        }
        if (retry > 0) {
            return OptionalLong.of(retry);
        }
        // The email's rows are locked: count this attempt, in a new window where the last one ended.
        em().createNativeQuery("""
                update login_throttle set
                  failures = case when window_start <= now() - make_interval(secs => :window) then 1 else failures + 1 end,
                  window_start = case when window_start <= now() - make_interval(secs => :window) then now() else window_start end
                where throttle_key = any(cast(:keys as text[]))""")
                .setParameter("keys", keys)
                .setParameter("window", login.window().toSeconds())
                .executeUpdate();
        return OptionalLong.empty();
    }

    /** The password was wrong: the client's count goes up too (the email's already did, in {@link #take}). */
    @Transactional
    public void failed(String client) {
        count(clientKey(client), login.window().toSeconds());
        if (ThreadLocalRandom.current().nextInt(100) == 0) {
            // Now and then, forget windows that ended long ago.
            long longest = Math.max(login.window().toSeconds(), registration.window().toSeconds());
            em().createNativeQuery("delete from login_throttle where window_start < now() - make_interval(secs => :twice)")
                    .setParameter("twice", 2 * longest)
                    .executeUpdate();
        }
    }

    /**
     * The password was right: the slot was not a failure. It goes back to the email's count, and
     * the email-and-client count starts again (rows touched in key order, as {@link #take} locks them).
     */
    @Transactional
    public void succeeded(String normalizedEmail, String client) {
        giveBack(new String[] { emailKey(normalizedEmail) });
        em().createNativeQuery("delete from login_throttle where throttle_key = :key")
                .setParameter("key", pairKey(normalizedEmail, client))
                .executeUpdate();
    }

    /** No password was checked after all (the check was shed before it started): the slot goes back. */
    @Transactional
    public void unused(String normalizedEmail, String client) {
        giveBack(emailKeys(normalizedEmail, client));
    }

    private static void giveBack(String[] keys) {
        em().createNativeQuery("""
                with locked as (select throttle_key from login_throttle where throttle_key = any(cast(:keys as text[]))
                                order by throttle_key for update)
                update login_throttle t set failures = t.failures - 1
                from locked where t.throttle_key = locked.throttle_key and t.failures > 0""")
                .setParameter("keys", keys)
                .executeUpdate();
    }

    /** The email's two keys in the order every statement here locks them ("email:" < "pair:"). */
    private static String[] emailKeys(String normalizedEmail, String client) {
        return new String[] { emailKey(normalizedEmail), pairKey(normalizedEmail, client) };
    }

    private int limitOf(String key) {
        return key.startsWith("pair:") ? login.maxFailuresPerEmailAndClient()
                : key.startsWith("email:") ? login.maxFailuresPerEmail() : login.maxFailuresPerClient();
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
