package org.acme.healthcare.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.user.Session.EndReason;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Sessions: started by a login, kept alive by refresh tokens (each usable once), ended by a
 * logout, by deleting it, by a password change (every other session), by disabling the account,
 * or by a refresh token presented a second time; over at the latest {@code maxLifetime} after the
 * login and after {@code idleTimeout} unused. An end is final: the refresh that races it locks the
 * session row first, and every end is forgotten by this replica's {@link LiveSessions} once it
 * has committed.
 */
@ApplicationScoped
public class SessionService {
    private static final Logger LOG = Logger.getLogger(SessionService.class);
    /** 256 bits, the contract's minimum for a refresh token. */
    private static final int REFRESH_TOKEN_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    private final TokenIssuer tokens;
    private final LiveSessions live;
    private final SecurityEvents events;
    private final Duration refreshLifetime;
    private final Session.Limits limits;

    SessionService(TokenIssuer tokens, LiveSessions live, SecurityEvents events, AccountsConfig config) {
        this.tokens = tokens;
        this.live = live;
        this.events = events;
        this.refreshLifetime = config.sessions().refreshLifetime();
        this.limits = new Session.Limits(config.sessions().maxLifetime(), config.sessions().idleTimeout());
    }

    public Session.Limits limits() {
        return limits;
    }

    /** A new session for an account that has just proved its password. */
    @Transactional
    public LoginResponse start(User user, String userAgent, String clientAddress) {
        Instant now = Instant.now();
        Session session = new Session();
        session.userId = user.id;
        session.createdAt = now;
        session.lastUsedAt = now;
        session.expiresAt = now.plus(limits.maxLifetime());
        session.userAgent = printable(userAgent, 256);
        session.clientAddress = printable(clientAddress, 64);
        session.persist();
        LoginResponse pair = pair(user, session, now);
        events.loginSucceeded(user.id, session.id, user.email);
        return pair;
    }

    /**
     * Spends a refresh token and returns the next pair of the same session. A token already spent
     * ends its session (the commit of that end is kept although the answer is a 401). The session
     * row is locked before it is read: an end that committed first is seen, and an end that comes
     * later waits for this refresh and then ends the session with the tokens it issued.
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public LoginResponse refresh(String refreshToken) {
        Instant now = Instant.now();
        RefreshToken presented = RefreshToken.lockByHash(hash(refreshToken)).orElse(null);
        if (presented == null) {
            throw refused(null, null, SecurityEvents.Refusal.UNKNOWN_TOKEN);
        }
        Session session = Session.lock(presented.sessionId);
        if (session == null || session.endedAt != null) {
            throw refused(session, SecurityEvents.Refusal.SESSION_ENDED);
        }
        if (!limits.endOf(session).isAfter(now)) {
            throw refused(session, SecurityEvents.Refusal.EXPIRED);
        }
        if (presented.spentAt != null) {
            if (Session.end(session.id, session.userId, EndReason.REPLAY)) {
                events.sessionsEnded(session.userId, List.of(session.id), null, EndReason.REPLAY);
            }
            live.forget(session.id, session.userId);
            LOG.warnf("A spent refresh token was presented again: session %d of account %d ended", session.id, session.userId);
            throw refused(session, SecurityEvents.Refusal.SPENT_TOKEN);
        }
        if (!presented.expiresAt.isAfter(now)) {
            throw refused(session, SecurityEvents.Refusal.EXPIRED);
        }
        User user = User.findById(session.userId);
        if (user == null || user.disabled) {
            throw refused(session, SecurityEvents.Refusal.DISABLED);
        }
        presented.spentAt = now;
        session.lastUsedAt = now;
        LoginResponse pair = pair(user, session, now);
        events.refreshed(user.id, session.id);
        return pair;
    }

    /** Ends one of the account's live sessions; false when it has none with that id. */
    @Transactional
    public boolean end(long sessionId, long userId, EndReason reason) {
        boolean ended = Session.end(sessionId, userId, reason);
        if (ended) {
            events.sessionsEnded(userId, List.of(sessionId), userId, reason);
        }
        live.forget(sessionId, userId);
        return ended;
    }

    /**
     * Ends every live session of the account except {@code keep} (null: all), in the caller's
     * transaction, on behalf of {@code actorId}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int endAllOf(long userId, Long keep, EndReason reason, Long actorId) {
        List<Long> ended = Session.endAllOf(userId, keep, reason);
        events.sessionsEnded(userId, ended, actorId, reason);
        live.forgetAllOf(userId, keep);
        return ended.size();
    }

    /**
     * Hourly: sessions that expired or ended more than a refresh lifetime ago go, with their
     * refresh tokens; so do refresh tokens of live sessions that have expired (a spent token is
     * kept until then, so that a replay is recognised as one).
     */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purgeExpired() {
        Instant cutoff = Instant.now().minus(refreshLifetime);
        long sessions = Session.deleteOlderThan(cutoff);
        long refreshTokens = RefreshToken.delete("expiresAt < ?1", Instant.now());
        if (sessions + refreshTokens > 0) {
            LOG.infof("Removed %d old sessions and %d expired refresh tokens", sessions, refreshTokens);
        }
    }

    private LoginResponse pair(User user, Session session, Instant now) {
        byte[] bytes = new byte[REFRESH_TOKEN_BYTES];
        random.nextBytes(bytes);
        String refreshToken = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        RefreshToken stored = new RefreshToken();
        stored.tokenHash = hash(refreshToken);
        stored.sessionId = session.id;
        stored.issuedAt = now;
        // A refresh token never outlives its session: it expires at the session's absolute end,
        // and the answer tells the real end, the idle one included.
        Instant sessionEnd = limits.endOf(session);
        Instant absoluteEnd = limits.absoluteEndOf(session);
        stored.expiresAt = min(now.plus(refreshLifetime), absoluteEnd);
        stored.persist();
        long refreshExpiresIn = Math.max(0, Duration.between(now, min(stored.expiresAt, sessionEnd)).toSeconds());
        return new LoginResponse(tokens.issue(user, session.id), "Bearer", tokens.lifetimeSeconds(), refreshToken,
                refreshExpiresIn, UserResponse.from(user));
    }

    /** SHA-256, hex: a refresh token is 256 random bits, so a fast hash is enough (no bcrypt needed). */
    static String hash(String refreshToken) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(refreshToken.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private ApiException refused(Session session, SecurityEvents.Refusal why) {
        return session == null ? refused(null, null, why) : refused(session.userId, session.id, why);
    }

    private ApiException refused(Long userId, Long sessionId, SecurityEvents.Refusal why) {
        events.refreshRefused(userId, sessionId, why);
        return ApiException.unauthorized("The refresh token is unknown, expired or already used.");
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Header text as shown back in the session list: controls (NUL included) dropped, at most {@code max} characters. */
    static String printable(String s, int max) {
        if (s == null) {
            return null;
        }
        String clean = s.codePoints().filter(cp -> !Character.isISOControl(cp) && (cp < 0xD800 || cp > 0xDFFF))
                .limit(max).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.isEmpty() ? null : clean;
    }
}
