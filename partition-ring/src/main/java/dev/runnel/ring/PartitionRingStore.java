package dev.runnel.ring;

import dev.runnel.log.kv.KvStore;
import dev.runnel.log.kv.KvStore.Versioned;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the ring lives: one value under one key of the log's {@link KvStore}, so a change to
 * any partition is a compare-and-set of the whole ring. The ring is small (a few hundred
 * bytes per partition) and changes seldom (heartbeats aside), which this trades for
 * every reader seeing one consistent ring.
 *
 * <p>Store failures surface as {@link dev.runnel.log.metadata.MetadataStoreException}
 * (retriable); a value this build cannot decode as {@link IllegalStateException}.
 */
public final class PartitionRingStore {
    public static final String DEFAULT_KEY = "ring/partitions";

    private final KvStore kv;
    private final String key;

    public PartitionRingStore(KvStore kv) {
        this(kv, DEFAULT_KEY);
    }

    public PartitionRingStore(KvStore kv, String key) {
        this.kv = Objects.requireNonNull(kv, "kv");
        this.key = Objects.requireNonNull(key, "key");
    }

    public String key() {
        return key;
    }

    /** The stored ring; empty if none was ever written. */
    public PartitionRing read() {
        return readVersioned().ring();
    }

    Snapshot readVersioned() {
        return kv.get(key)
                .map(v -> new Snapshot(PartitionRingCodec.decode(v.value()), v.version()))
                .orElse(new Snapshot(PartitionRing.empty(), Versioned.ABSENT));
    }

    /** The stored ring if its version is not {@code knownVersion}; decodes nothing otherwise. */
    Optional<Snapshot> readIfChanged(long knownVersion) {
        Optional<Versioned> stored = kv.get(key);
        long version = stored.map(Versioned::version).orElse(Versioned.ABSENT);
        if (version == knownVersion) {
            return Optional.empty();
        }
        return Optional.of(stored
                .map(v -> new Snapshot(PartitionRingCodec.decode(v.value()), v.version()))
                .orElse(new Snapshot(PartitionRing.empty(), Versioned.ABSENT)));
    }

    /** Writes {@code ring} if the stored version is still {@code expectedVersion}. */
    boolean write(PartitionRing ring, long expectedVersion) {
        return kv.compareAndSet(key, expectedVersion, PartitionRingCodec.encode(ring)).isPresent();
    }

    /** A ring and the version of the KV value it was decoded from. */
    record Snapshot(PartitionRing ring, long version) {
    }
}
