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
 * bcrypt hashing, on an executor of its own with a bounded queue. Costly by design (tens of
 * milliseconds), so never called while holding a database transaction.
 * {@link #matchesNobody(String)} spends the same time as a real check, so an unknown email
 * answers as slowly as a wrong password.
 * <p>
 * One hashing thread per two cores ({@code healthcare.password.hashing-threads}): bcrypt never
 * holds more than half the CPU, so a login flood leaves the rest to reads and writes. The queue
 * holds what those threads get through within {@code healthcare.password.max-queue-wait} (2 s,
 * from the time of one hash at start-up), and never more than a quarter of the worker threads.
 * A hash that does not fit is refused at once with {@link Saturated} (503 + Retry-After), so
 * callers beyond the capacity never park the worker threads that reads and writes need.
 */
@ApplicationScoped
public class PasswordHasher {
    private final int cost;
    private final String decoyHash;
    private final ThreadPoolExecutor executor;
    private final Duration maxWait;

    /** 503: hashing cannot take this request within the queue's wait. */
    public static final class Saturated extends ApiException.Unavailable {
        /** False when the work was refused before it started (a full queue); true when it may have run. */
        final boolean mayHaveRun;

        public Saturated(boolean mayHaveRun) {
            super("The service is busy signing people in. Try again shortly.");
            this.mayHaveRun = mayHaveRun;
        }
    }

    @Inject
    PasswordHasher(AccountsConfig config) {
        this(config.password().bcryptCost(),
                config.password().hashingThreads().orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / 2)),
                config.password().maxQueueWait());
    }

    PasswordHasher(int cost, int threads, Duration maxWait) {
        this.cost = cost;
        this.maxWait = maxWait;
        threads = Math.max(1, threads);
        this.decoyHash = BcryptUtil.bcryptHash("decoy-password-for-timing", cost);
        long start = System.nanoTime();
        BcryptUtil.matches("decoy-password-for-timing", decoyHash);
        long hashNanos = Math.max(1, System.nanoTime() - start);
        // Never more waiting logins than a quarter of the worker threads: the rest stay for reads and writes.
        int workers = ConfigProvider.getConfig().getOptionalValue("quarkus.thread-pool.max-threads", Integer.class)
                .orElse(Math.max(200, 8 * Runtime.getRuntime().availableProcessors()));
        int queue = Math.min(queueCapacity(threads, maxWait, Duration.ofNanos(hashNanos)), Math.max(threads, workers / 4));
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, "password-hashing-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
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
     * Whether a check submitted now would be refused (the queue is full). A hint, read without a
     * lock: a caller that races past it is refused by {@link #matches} with {@code mayHaveRun} false.
     */
    public boolean atCapacity() {
        return executor.getQueue().remainingCapacity() == 0;
    }

    /** @throws Saturated when hashing is at capacity */
    public String hash(String password) {
        return run(() -> BcryptUtil.bcryptHash(password, cost));
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
