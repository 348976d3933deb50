package org.acme.healthcare.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.HealthcareConfig;
import org.acme.healthcare.user.Session.EndReason;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Sessions: started by a login, kept alive by refresh tokens (each usable once), ended by a
 * logout, by deleting it, by a password change (every other session), by disabling the account,
 * or by a refresh token presented a second time. Every end is forgotten by this replica's
 * {@link LiveSessions} cache at once.
 */
@ApplicationScoped
public class SessionService {
    private static final Logger LOG = Logger.getLogger(SessionService.class);
    /** 256 bits, the contract's minimum for a refresh token. */
    private static final int REFRESH_TOKEN_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    private final TokenIssuer tokens;
    private final LiveSessions live;
    private final Duration refreshLifetime;

    SessionService(TokenIssuer tokens, LiveSessions live, HealthcareConfig config) {
        this.tokens = tokens;
        this.live = live;
        this.refreshLifetime = config.sessions().refreshLifetime();
    }

    /** A new session for an account that has just proved its password. */
    @Transactional
    public LoginResponse start(User user, String userAgent, String clientAddress) {
        Instant now = Instant.now();
        Session session = new Session();
        session.userId = user.id;
        session.createdAt = now;
        session.lastUsedAt = now;
        session.expiresAt = now.plus(refreshLifetime);
        session.userAgent = printable(userAgent, 256);
        session.clientAddress = printable(clientAddress, 64);
        session.persist();
        return pair(user, session, now);
    }

    /**
     * Spends a refresh token and returns the next pair of the same session. A token already spent
     * ends its session (the commit of that end is kept although the answer is a 401).
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public LoginResponse refresh(String refreshToken) {
        Instant now = Instant.now();
        RefreshToken presented = RefreshToken.lockByHash(hash(refreshToken)).orElseThrow(SessionService::refused);
        Session session = Session.findById(presented.sessionId);
        if (session == null || session.endedAt != null || !session.expiresAt.isAfter(now)) {
            throw refused();
        }
        if (presented.spentAt != null) {
            Session.end(session.id, session.userId, EndReason.REPLAY);
            live.forget(session.id, session.userId);
            LOG.warnf("A spent refresh token was presented again: session %d of account %d ended", session.id, session.userId);
            throw refused();
        }
        if (!presented.expiresAt.isAfter(now)) {
            throw refused();
        }
        User user = User.findById(session.userId);
        if (user == null || user.disabled) {
            throw refused();
        }
        presented.spentAt = now;
        session.lastUsedAt = now;
        session.expiresAt = now.plus(refreshLifetime);
        return pair(user, session, now);
    }

    /** Ends one of the account's live sessions; false when it has none with that id. */
    @Transactional
    public boolean end(long sessionId, long userId, EndReason reason) {
        boolean ended = Session.end(sessionId, userId, reason);
        live.forget(sessionId, userId);
        return ended;
    }

    /** Ends every live session of the account except {@code keep} (null: all), in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int endAllOf(long userId, Long keep, EndReason reason) {
        int ended = Session.endAllOf(userId, keep, reason);
        live.forgetAllOf(userId, keep);
        return ended;
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
        stored.expiresAt = session.expiresAt;
        stored.persist();
        return new LoginResponse(tokens.issue(user, session.id), "Bearer", tokens.lifetimeSeconds(), refreshToken,
                refreshLifetime.toSeconds(), UserResponse.from(user));
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

    private static ApiException refused() {
        return ApiException.unauthorized("The refresh token is unknown, expired or already used.");
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
