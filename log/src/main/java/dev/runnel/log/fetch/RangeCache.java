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
 * never change, so a cached range never goes stale.
 *
 * <p>Under the ranges sits a cache of object heads: the first {@link #OBJECT_HEAD_BYTES} of an
 * object are read with one GET and serve every partition's range inside them. A segment object
 * holds one flush of many partitions, so a consumer catching up on many partitions, or several
 * consumers of different partitions, cost one GET per object instead of one per partition
 * (which is also what S3 charges for). Ranges beyond the head are read on their own. Concurrent
 * readers of anything not cached yet share one GET, because Caffeine's async cache hands every
 * caller the same pending future.
 */
public final class RangeCache {
    private static final Counter LOOKUPS = Counter.builder()
            .name("runnel_agent_range_cache_lookups_total")
            .help("Lookups of committed object ranges by the fetch path, by result (hit or miss).")
            .labelNames("result")
            .register();

    /** How much of an object one GET reads: more than a flush writes with the default batch-max-bytes. */
    static final int OBJECT_HEAD_BYTES = 16 << 20;

    private final ObjectStore objects;
    private final AsyncCache<Range, ByteBuffer> cache;
    private final AsyncCache<String, ByteBuffer> heads;

    /** A committed byte range and the offset its first batch was given: what a cached copy depends on. */
    private record Range(String objectKey, int position, int size, long baseOffset) {
    }

    /** @param maxBytes bound of both caches together: half for ranges, half for object heads */
    public RangeCache(ObjectStore objects, long maxBytes) {
        this.objects = objects;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes / 2)
                .weigher((Range range, ByteBuffer bytes) -> bytes.capacity())
                .buildAsync();
        this.heads = Caffeine.newBuilder()
                .maximumWeight(maxBytes / 2)
                .weigher((String key, ByteBuffer bytes) -> bytes.capacity())
                .buildAsync();
    }

    /** The entry's batches with offsets assigned; the caller gets its own view of the bytes. */
    public CompletableFuture<ByteBuffer> get(IndexEntry entry) {
        boolean[] loaded = {false};
        Range range = new Range(entry.objectKey(), entry.position(), entry.size(), entry.baseOffset());
        CompletableFuture<ByteBuffer> bytes = cache.get(range, (key, executor) -> {
            loaded[0] = true;
            return read(entry).thenApply(raw -> assignOffsets(entry, raw));
        });
        LOOKUPS.labelValues(loaded[0] ? "miss" : "hit").inc();
        return bytes.thenApply(ByteBuffer::duplicate);
    }

    /** The entry's raw bytes: a slice of the object's head, or a GET of its own when it lies beyond. */
    private CompletableFuture<ByteBuffer> read(IndexEntry entry) {
        long end = (long) entry.position() + entry.size();
        if (end > OBJECT_HEAD_BYTES) {
            return objects.get(entry.objectKey(), entry.position(), entry.size());
        }
        return heads.get(entry.objectKey(), (key, executor) -> objects.get(key, 0, OBJECT_HEAD_BYTES))
                .thenCompose(head -> end <= head.limit()
                        ? CompletableFuture.completedFuture(head.duplicate().position(entry.position()).limit((int) end).slice())
                        : objects.get(entry.objectKey(), entry.position(), entry.size()));
    }

    /**
     * Caches a range this agent just committed, straight from the object it wrote: consumers
     * tailing the log then read it without a GET. The offsets are assigned in place, in
     * {@code object}, which the caller hands over: it must not use the bytes of that range again.
     * (The cached slice keeps the whole object's buffer alive until it is evicted.)
     */
    public void putCommitted(String objectKey, ByteBuffer object, int position, int size, long baseOffset) {
        ByteBuffer range = object.duplicate().position(position).limit(position + size).slice();
        BatchOffsets.assign(range, baseOffset);
        cache.put(new Range(objectKey, position, size, baseOffset), CompletableFuture.completedFuture(range));
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
