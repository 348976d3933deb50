package org.acme.healthcare.doctor;

import java.util.Optional;
import java.util.function.LongFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.acme.healthcare.common.Generations;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The doctor directory's reads, remembered per replica: {@code GET /api/doctors/{id}} answers from
 * memory, without a database connection, a transaction or an entity load, while the entry holds.
 * <p>
 * On this replica a change holds from the moment it is answered: a change is forgotten after its
 * transaction completes ({@link #forgetAfterCompletion}), and an answer read before it committed
 * but remembered after that is never used ({@link Generations}, one for the whole directory).
 * Other replicas see a change when their entry expires ({@code HEALTHCARE_DOCTOR_CACHE_TTL},
 * default 10 s, as sessions and accounts: {@code HEALTHCARE_ACCOUNT_CACHE_TTL}); a write there
 * still checks the version in the database, so a stale read can never become a lost update
 * ({@code If-Match} answers 412). A doctor that does not exist is not remembered.
 */
@ApplicationScoped
public class DoctorDirectory {
    /** About 0.5 KB each: a few MB of the heap at most. */
    static final int MAX_DOCTORS = 10_000;

    /** A remembered answer and the generation before it was read. */
    record Entry(DoctorResponse doctor, long generation) {
    }

    private final Cache<Long, Entry> entries;
    private final Generations generations;

    DoctorDirectory(TransactionSynchronizationRegistry transactions, DoctorsConfig config) {
        this.generations = new Generations(1, transactions);
        this.entries = Caffeine.newBuilder().maximumSize(MAX_DOCTORS).expireAfterWrite(config.cacheTtl()).build();
    }

    /** The doctor as answered, from memory when a current entry is there, else read by {@code load} (blocking). */
    public Optional<DoctorResponse> get(long id, LongFunction<Optional<DoctorResponse>> load) {
        Entry e = entries.getIfPresent(id);
        long before = generations.current(0);
        if (e != null && e.generation() == before) {
            return Optional.of(e.doctor());
        }
        Optional<DoctorResponse> read = load.apply(id);
        read.ifPresent(d -> entries.put(id, new Entry(d, before)));
        return read;
    }

    /**
     * Forgets every remembered doctor once the current transaction (if any) has completed: call it
     * in the transaction that changes or deletes a doctor. Requests that start after that commit
     * read the change. (Every entry, not only the changed one's: doctors change rarely, and a
     * change of state the directory cannot name, such as a creator's account removed, is covered too.)
     */
    public void forgetAfterCompletion() {
        generations.forgetAllAfterCompletion(entries::invalidateAll);
    }

    /** How many doctors are remembered (tests). */
    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }
}
