package dev.runnel.ring;

import dev.runnel.log.kv.KvStore;
import java.util.List;
import java.util.Optional;

/** Runs an action just before the first compare-and-set, as another writer racing in would. */
class InterleavingKvStore implements KvStore {
    private final KvStore delegate;
    private Runnable beforeFirstWrite;

    InterleavingKvStore(KvStore delegate, Runnable beforeFirstWrite) {
        this.delegate = delegate;
        this.beforeFirstWrite = beforeFirstWrite;
    }

    @Override
    public Optional<Versioned> get(String key) {
        return delegate.get(key);
    }

    @Override
    public List<Versioned> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public Optional<Long> compareAndSet(String key, long expectedVersion, byte[] value) {
        if (beforeFirstWrite != null) {
            Runnable action = beforeFirstWrite;
            beforeFirstWrite = null;
            action.run();
        }
        return delegate.compareAndSet(key, expectedVersion, value);
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        return delegate.delete(key, expectedVersion);
    }
}
