package dev.runnel.log.kv;

import dev.runnel.log.metadata.MetadataStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link KvStore} in memory, for unit tests of the modules that keep state in it (the
 * partition ring, HA elections). It follows the contract of the database-backed stores: a new
 * key starts at version 1, every write adds one, values are copied in and out so a caller that
 * mutates its array changes nothing here.
 *
 * <p>{@link #setUnavailable(boolean)} makes every call throw {@link MetadataStoreException}, as
 * an unreachable database would.
 */
public final class InMemoryKvStore implements KvStore {
    private final Object lock = new Object();
    private final TreeMap<String, Entry> entries = new TreeMap<>();
    private boolean unavailable;
    private long writes;

    @Override
    public Optional<Versioned> get(String key) {
        synchronized (lock) {
            checkAvailable();
            Entry entry = entries.get(key);
            return entry == null ? Optional.empty() : Optional.of(entry.versioned(key));
        }
    }

    @Override
    public List<Versioned> list(String prefix) {
        synchronized (lock) {
            checkAvailable();
            List<Versioned> found = new ArrayList<>();
            for (Map.Entry<String, Entry> e : entries.tailMap(prefix, true).entrySet()) {
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                found.add(e.getValue().versioned(e.getKey()));
            }
            return found;
        }
    }

    @Override
    public Optional<Long> compareAndSet(String key, long expectedVersion, byte[] value) {
        synchronized (lock) {
            checkAvailable();
            Entry current = entries.get(key);
            long currentVersion = current == null ? Versioned.ABSENT : current.version;
            if (currentVersion != expectedVersion) {
                return Optional.empty();
            }
            long next = currentVersion + 1;
            entries.put(key, new Entry(value.clone(), next));
            writes++;
            return Optional.of(next);
        }
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        synchronized (lock) {
            checkAvailable();
            Entry current = entries.get(key);
            if (current == null || current.version != expectedVersion) {
                return false;
            }
            entries.remove(key);
            writes++;
            return true;
        }
    }

    /** While {@code true}, every call fails with {@link MetadataStoreException}. */
    public void setUnavailable(boolean unavailable) {
        synchronized (lock) {
            this.unavailable = unavailable;
        }
    }

    /** Successful compare-and-sets and deletes so far, to check that a no-op wrote nothing. */
    public long writes() {
        synchronized (lock) {
            return writes;
        }
    }

    private void checkAvailable() {
        if (unavailable) {
            throw new MetadataStoreException("in-memory KV store is set unavailable", null);
        }
    }

    private record Entry(byte[] value, long version) {
        Versioned versioned(String key) {
            return new Versioned(key, value.clone(), version);
        }
    }
}
