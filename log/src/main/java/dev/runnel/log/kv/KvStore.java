package dev.runnel.log.kv;

import java.util.List;
import java.util.Optional;

/**
 * Small shared state beside the log, with compare-and-set: the partition ring, the HA-pair
 * elections of the distributors. It lives in the same strongly consistent database as the
 * log's {@linkplain dev.runnel.log.metadata.MetadataStore metadata}, so every process that
 * shares a log shares this state, and a writer that lost a race finds out.
 *
 * <p>Values are opaque bytes; each owner encodes its own. A key's version starts at 1 when it
 * is created and grows by one with every successful write.
 *
 * <p>Implementations are safe for concurrent use. A failure of the underlying database throws
 * {@link dev.runnel.log.metadata.MetadataStoreException}; callers treat it as retriable.
 */
public interface KvStore {

    /** The key's current value, or empty if it does not exist. */
    Optional<Versioned> get(String key);

    /** Every key starting with {@code prefix}, ordered by key. */
    List<Versioned> list(String prefix);

    /**
     * Writes {@code value} if the key's version is still {@code expectedVersion}, where
     * {@link Versioned#ABSENT} means the key must not exist yet.
     *
     * @return the new version, or empty if the key changed since the caller read it
     */
    Optional<Long> compareAndSet(String key, long expectedVersion, byte[] value);

    /**
     * Deletes the key if its version is still {@code expectedVersion}.
     *
     * @return whether it was deleted
     */
    boolean delete(String key, long expectedVersion);

    /** A key's value and the version it was read at. */
    record Versioned(String key, byte[] value, long version) {
        /** The expected version of a key that does not exist. */
        public static final long ABSENT = 0L;
    }
}
