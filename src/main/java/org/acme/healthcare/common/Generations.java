package org.acme.healthcare.common;

import java.util.concurrent.atomic.AtomicLongArray;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The generations that make a per-replica cache forget a change for good (user/LiveSessions,
 * client/LiveClients, doctor/DoctorDirectory):
 * <ul>
 * <li>a change is forgotten <em>after</em> its transaction completes, never before, so a request
 * that reads the database in between cannot cache the old state for long;</li>
 * <li>an answer is cached with its key's generation as it was <em>before</em> the answer was read
 * from the database, and forgetting moves that generation on: an answer read before a change
 * committed, but cached after it was forgotten, is older than its generation and never used.</li>
 * </ul>
 * Keys share generations by stripe: a change costs its stripe's cached answers a reload, not
 * everyone's; one stripe is one generation for the whole cache.
 */
public final class Generations {
    private final AtomicLongArray stripes;
    private final TransactionSynchronizationRegistry transactions;

    /** {@code stripes}: a power of two. */
    public Generations(int stripes, TransactionSynchronizationRegistry transactions) {
        if (stripes < 1 || Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes must be a power of two: " + stripes);
        }
        this.stripes = new AtomicLongArray(stripes);
        this.transactions = transactions;
    }

    /** The generation of the key's stripe now: take it before reading what is to be cached. */
    public long current(long key) {
        return stripes.get(stripe(key));
    }

    /** Whether an answer cached with {@code generation} may still be used. */
    public boolean isCurrent(long key, long generation) {
        return generation == current(key);
    }

    /**
     * After the current transaction completes (committed or not: forgetting too much only costs
     * a reload), or now without one: moves the key's stripe on, then runs {@code invalidate}.
     */
    public void forgetAfterCompletion(long key, Runnable invalidate) {
        afterCompletion(() -> {
            stripes.incrementAndGet(stripe(key));
            invalidate.run();
        });
    }

    /** As {@link #forgetAfterCompletion(long, Runnable)}, for every stripe. */
    public void forgetAllAfterCompletion(Runnable invalidate) {
        afterCompletion(() -> {
            for (int i = 0; i < stripes.length(); i++) {
                stripes.incrementAndGet(i);
            }
            invalidate.run();
        });
    }

    private void afterCompletion(Runnable forget) {
        if (transactions.getTransactionStatus() == Status.STATUS_NO_TRANSACTION) {
            forget.run();
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                forget.run();
            }
        });
    }

    private int stripe(long key) {
        return (int) (key ^ (key >>> 32)) & (stripes.length() - 1);
    }
}
