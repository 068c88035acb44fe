package dev.runnel.log.fetch;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.runnel.log.metadata.IndexEntry;
import dev.runnel.log.objectstore.ObjectStore;
import dev.runnel.log.segment.BatchOffsets;
import dev.runnel.log.segment.CorruptSegmentException;
import io.prometheus.metrics.core.metrics.Counter;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Committed byte ranges of segment objects, with their offsets already assigned, bounded in
 * bytes. Keyed by object, byte range and base offset: a committed range's bytes and offsets
 * never change, so a cached range never goes stale. Concurrent readers of a range that is not cached yet share one GET,
 * because Caffeine's async cache hands every caller the same pending future.
 */
public final class RangeCache {
    private static final Counter LOOKUPS = Counter.builder()
            .name("runnel_agent_range_cache_lookups_total")
            .help("Lookups of committed object ranges by the fetch path, by result (hit or miss).")
            .labelNames("result")
            .register();

    private final ObjectStore objects;
    private final AsyncCache<Range, ByteBuffer> cache;

    /** A committed byte range and the offset its first batch was given: what a cached copy depends on. */
    private record Range(String objectKey, int position, int size, long baseOffset) {
    }

    public RangeCache(ObjectStore objects, long maxBytes) {
        this.objects = objects;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Range range, ByteBuffer bytes) -> bytes.capacity())
                .buildAsync();
    }

    /** The entry's batches with offsets assigned; the caller gets its own view of the bytes. */
    public CompletableFuture<ByteBuffer> get(IndexEntry entry) {
        boolean[] loaded = {false};
        Range range = new Range(entry.objectKey(), entry.position(), entry.size(), entry.baseOffset());
        CompletableFuture<ByteBuffer> bytes = cache.get(range, (key, executor) -> {
            loaded[0] = true;
            return objects.get(key.objectKey(), key.position(), key.size()).thenApply(raw -> assignOffsets(entry, raw));
        });
        LOOKUPS.labelValues(loaded[0] ? "miss" : "hit").inc();
        return bytes.thenApply(ByteBuffer::duplicate);
    }

    /**
     * Caches a range this agent just committed, straight from the object it wrote: consumers
     * tailing the log then read it without a GET.
     */
    public void putCommitted(String objectKey, ByteBuffer object, int position, int size, long baseOffset) {
        ByteBuffer own = ByteBuffer.allocate(size);
        own.put(object.duplicate().position(position).limit(position + size)).flip();
        BatchOffsets.assign(own, baseOffset);
        cache.put(new Range(objectKey, position, size, baseOffset), CompletableFuture.completedFuture(own));
    }

    private static ByteBuffer assignOffsets(IndexEntry entry, ByteBuffer raw) {
        if (raw.remaining() != entry.size()) {
            throw new CorruptSegmentException("read " + raw.remaining() + " bytes of " + entry.objectKey() + " at "
                    + entry.position() + ", the index says " + entry.size());
        }
        ByteBuffer own = ByteBuffer.allocate(raw.remaining());
        own.put(raw.duplicate()).flip();
        long next = BatchOffsets.assign(own, entry.baseOffset());
        if (next != entry.lastOffset() + 1) {
            throw new CorruptSegmentException("batches of " + entry.objectKey() + " at " + entry.position()
                    + " end at offset " + (next - 1) + ", the index says " + entry.lastOffset());
        }
        return own;
    }
}
