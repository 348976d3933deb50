package org.acme.healthcare.user;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.acme.healthcare.common.ApiException;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.elytron.security.common.BcryptUtil;

/**
 * bcrypt hashing (Elytron's, the stack's), on an executor of its own with a bounded queue. Costly by design (tens of
 * milliseconds), so never called while holding a database transaction.
 * {@link #matchesNobody(String)} spends the same time as a real check, so an unknown email
 * answers as slowly as a wrong password.
 * <p>
 * One hashing thread per core ({@code healthcare.password.hashing-threads}): a login's
 * throughput is the cores divided by one hash. The other requests keep their share because the
 * hashing threads run at a lower scheduling priority ({@link #lowerPriority()}: niceness
 * {@value #HASHING_NICENESS}), so they take only the CPU that request threads leave, and because
 * the logins admitted at once are bounded.
 * <p>
 * {@link #loginCapacity()} is how many logins may be in flight at once (hashing, or waiting
 * for a hash): what the threads get through within {@code healthcare.password.max-queue-wait}
 * (2 s) at a nominal 250 ms a hash ({@link #defaultLoginCapacity}; computed without hashing,
 * so start-up pays nothing for it), but never fewer than {@value #MIN_LOGIN_CAPACITY}
 * (a clinic's morning, 16 people at once, waits its turn instead of being refused) and never
 * more than a quarter of the worker threads, each of which an admitted login holds while it
 * waits. {@link LoginAdmission} enforces it on the event loop, before the request takes a worker.
 * The executor's queue holds that many plus room for registrations and password changes; a hash
 * that still does not fit is refused at once with {@link Saturated} (503 + Retry-After).
 */
@ApplicationScoped
public class PasswordHasher {
    private final int cost;
    private final String decoyHash;
    private final ThreadPoolExecutor executor;
    private final Duration maxWait;
    private final int loginCapacity;

    /** 503: hashing cannot take this request within the queue's wait. */
    public static final class Saturated extends ApiException.Unavailable {
        /** False when the work was refused before it started (a full queue); true when it may have run. */
        final boolean mayHaveRun;

        public Saturated(boolean mayHaveRun) {
            super(LoginAdmission.BUSY);
            this.mayHaveRun = mayHaveRun;
        }
    }

    @Inject
    PasswordHasher(AccountsConfig config) {
        this(config.password().bcryptCost(), threads(config), config.password().maxQueueWait(), loginCapacity(config));
    }

    PasswordHasher(int cost, int threads, Duration maxWait) {
        this(cost, threads, maxWait, defaultLoginCapacity(threads, maxWait, cost, workerThreads()));
    }

    PasswordHasher(int cost, int threads, Duration maxWait, int loginCapacity) {
        this.cost = cost;
        this.maxWait = maxWait;
        threads = Math.max(1, threads);
        this.loginCapacity = Math.max(1, loginCapacity);
        this.decoyHash = newHash("decoy-password-for-timing", cost);
        long start = System.nanoTime();
        BcryptUtil.matches("decoy-password-for-timing", decoyHash);
        long hashNanos = Math.max(1, System.nanoTime() - start);
        // The admitted logins, plus room for registrations and password changes, which are not admitted first.
        int queue = Math.max(this.loginCapacity, queueCapacity(threads, maxWait, Duration.ofNanos(hashNanos)))
                + MIN_QUEUE_PER_THREAD * threads;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(() -> {
                        lowerPriority();
                        r.run();
                    }, "password-hashing-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** The niceness of a hashing thread: it gets every core's idle time, but yields at once to request threads. */
    static final int HASHING_NICENESS = 10;

    /**
     * Gives the calling thread (a hashing thread, as it starts) a lower scheduling priority:
     * Linux schedules threads by niceness, and Java's own thread priorities are ignored there.
     * bcrypt then uses whatever CPU the event loops, the request threads and the probes leave,
     * so hashing on every core does not slow them under a login flood. Best effort: without
     * {@code /proc/thread-self} or {@code renice} the thread keeps the normal priority.
     */
    static void lowerPriority() {
        try {
            // "/proc/thread-self" links to "<pid>/task/<tid>": the thread's own id for renice.
            String tid = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self")).getFileName().toString();
            Process renice = new ProcessBuilder("renice", "-n", String.valueOf(HASHING_NICENESS), "-p", tid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!renice.waitFor(5, TimeUnit.SECONDS)) {
                renice.destroyForcibly();
            }
        } catch (java.io.IOException | RuntimeException e) {
            // Not Linux, or no renice: the normal priority.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The hashing threads: as configured, else one per core. */
    static int threads(AccountsConfig config) {
        return Math.max(1, config.password().hashingThreads().orElse(Runtime.getRuntime().availableProcessors()));
    }

    /** Logins admitted at once: as configured, else {@link #defaultLoginCapacity}. Needs no hashing, so it is cheap at start-up. */
    static int loginCapacity(AccountsConfig config) {
        return Math.max(1, config.password().loginCapacity().orElse(defaultLoginCapacity(threads(config),
                config.password().maxQueueWait(), config.password().bcryptCost(), workerThreads())));
    }

    private static int workerThreads() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.thread-pool.max-threads", Integer.class)
                .orElse(Math.max(200, 8 * Runtime.getRuntime().availableProcessors()));
    }

    /** How many hashes {@code threads} get through in {@code wait}, at least one per thread. */
    static int queueCapacity(int threads, Duration wait, Duration perHash) {
        long perThread = wait.toNanos() / Math.max(1, perHash.toNanos());
        // At least MIN_QUEUE_PER_THREAD each: the hash timed at start-up runs on a cold JVM, several
        // times slower than later ones, so a queue sized from it alone would be far too short.
        return (int) Math.max((long) MIN_QUEUE_PER_THREAD * threads, Math.min(10_000, perThread * threads));
    }

    static final int MIN_QUEUE_PER_THREAD = 8;

    /**
     * Logins admitted at once by default at least: 16 at once is a normal morning, not a flood,
     * and they are served; not much more, because each admitted login waits for the ones before
     * it (24 on two threads: 12 hashes, 2 s at C1's 170 ms a hash).
     */
    static final int MIN_LOGIN_CAPACITY = 24;

    /**
     * One bcrypt hash at cost 10 as the image runs it on a shared core (C1 only: ~170 ms of CPU
     * measured, more when the core is shared); each cost step doubles it.
     */
    static final Duration NOMINAL_HASH_AT_COST_10 = Duration.ofMillis(250);

    /**
     * What the threads get through in the wait at the nominal hash time of this cost, at least
     * {@link #MIN_LOGIN_CAPACITY}, at most a quarter of the worker threads (each admitted login
     * holds one while it waits), and at least one per hashing thread.
     */
    static int defaultLoginCapacity(int threads, Duration wait, int cost, int workers) {
        Duration perHash = cost >= 10 ? NOMINAL_HASH_AT_COST_10.multipliedBy(1L << Math.min(20, cost - 10))
                : NOMINAL_HASH_AT_COST_10.dividedBy(1L << (10 - cost));
        int wanted = Math.max(MIN_LOGIN_CAPACITY, queueCapacity(threads, wait, perHash));
        return Math.max(threads, Math.min(wanted, workers / 4));
    }

    /** The hashes that may wait for a thread (tests). */
    int queueSize() {
        return executor.getQueue().size() + executor.getQueue().remainingCapacity();
    }

    /** Logins that may be in flight at once (see the class comment); {@link LoginAdmission} holds the rest off. */
    public int loginCapacity() {
        return loginCapacity;
    }

    /**
     * Whether a check submitted now would be refused (the queue is full). A hint, read without a
     * lock: a caller that races past it is refused by {@link #matches} with {@code mayHaveRun} false.
     */
    public boolean atCapacity() {
        return executor.getQueue().remainingCapacity() == 0;
    }

    /** A new hash, in the {@code $2a$} form every stored hash has. */
    static String newHash(String password, int cost) {
        return BcryptUtil.bcryptHash(password, cost);
    }

    /** @throws Saturated when hashing is at capacity */
    public String hash(String password) {
        return run(() -> newHash(password, cost));
    }

    /** @throws Saturated when hashing is at capacity */
    public boolean matches(String password, String hash) {
        return run(() -> BcryptUtil.matches(password, hash));
    }

    /** Burns one bcrypt verification and always answers false. @throws Saturated when hashing is at capacity */
    public boolean matchesNobody(String password) {
        run(() -> BcryptUtil.matches(password, decoyHash));
        return false;
    }

    private <T> T run(Callable<T> work) {
        Future<T> future;
        try {
            future = executor.submit(work);
        } catch (RejectedExecutionException e) {
            throw new Saturated(false);
        }
        try {
            // The queue admits only what fits in maxWait; the margin covers a slower machine.
            return future.get(maxWait.toMillis() * 3 + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new Saturated(true);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new Saturated(true);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
