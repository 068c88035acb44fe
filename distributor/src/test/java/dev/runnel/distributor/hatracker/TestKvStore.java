package dev.runnel.distributor.hatracker;

import dev.runnel.log.kv.KvStore;
import dev.runnel.log.metadata.MetadataStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread-safe in-memory {@link KvStore} for these tests, which can be told to fail and counts
 * calls. To be replaced by log's {@code InMemoryKvStore} (test-jar) once that is on main.
 */
final class TestKvStore implements KvStore {

    private final TreeMap<String, Versioned> entries = new TreeMap<>();
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean failing;

    @Override
    public synchronized Optional<Versioned> get(String key) {
        check();
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public synchronized List<Versioned> list(String prefix) {
        check();
        List<Versioned> out = new ArrayList<>();
        for (Map.Entry<String, Versioned> e : entries.tailMap(prefix).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            out.add(e.getValue());
        }
        return out;
    }

    @Override
    public synchronized Optional<Long> compareAndSet(String key, long expectedVersion, byte[] value) {
        check();
        Versioned current = entries.get(key);
        long version = current == null ? Versioned.ABSENT : current.version();
        if (version != expectedVersion) {
            return Optional.empty();
        }
        entries.put(key, new Versioned(key, value.clone(), version + 1));
        return Optional.of(version + 1);
    }

    @Override
    public synchronized boolean delete(String key, long expectedVersion) {
        check();
        Versioned current = entries.get(key);
        if (current == null || current.version() != expectedVersion) {
            return false;
        }
        entries.remove(key);
        return true;
    }

    private void check() {
        calls.incrementAndGet();
        if (failing) {
            throw new MetadataStoreException("the test store is failing", null);
        }
    }
}
