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
 * Bytes of segment objects as they were written, bounded in bytes. An object never changes once
 * written, so nothing cached ever goes stale.
 *
 * <p>What is cached is mostly objects' heads: an object's first {@link #OBJECT_HEAD_BYTES}, read with
 * one GET, serve every partition's range inside it. A segment object holds one flush of many
 * partitions, so a consumer catching up on many partitions, or several consumers of different
 * partitions, cost one GET per object instead of one per partition (which is also what S3
 * charges for). Single ranges are read and cached on their own when nothing says the rest of
 * their object is wanted, and so are ranges beyond the head. Concurrent readers of
 * anything not cached yet share one GET, because Caffeine's async cache hands every caller the
 * same pending future.
 *
 * <p>The bytes are raw: offsets are assigned when a reader copies a range out (see
 * {@link #withOffsets}), which is the one copy a fetch makes. Keeping assigned copies of ranges
 * beside the heads held every byte twice.
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
    private final AsyncCache<Span, ByteBuffer> cache;

    /** Bytes of an object: its head, or a range that holds one or more index entries. */
    record Span(String objectKey, int position, int size) {
        static Span head(String objectKey) {
            return new Span(objectKey, 0, OBJECT_HEAD_BYTES);
        }
    }

    public RangeCache(ObjectStore objects, long maxBytes) {
        this.objects = objects;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Span span, ByteBuffer bytes) -> bytes.capacity())
                .buildAsync();
    }

    /** The entry's batches with offsets assigned, in a buffer of the caller's own. */
    public CompletableFuture<ByteBuffer> get(IndexEntry entry) {
        Span span = entry.position() + (long) entry.size() <= OBJECT_HEAD_BYTES ? Span.head(entry.objectKey()) : new Span(entry.objectKey(), entry.position(), entry.size());
        return raw(entry, span).thenApply(raw -> {
            ByteBuffer own = ByteBuffer.allocate(raw.remaining());
            withOffsets(own, raw, entry.baseOffset());
            return own.flip();
        });
    }

    /**
     * The entry's batches as written (offsets not assigned), checked against the index: a
     * read-only view the caller must copy from, never modify. They come from the object's head
     * when that is cached, else from a read of {@code span} (bytes of the object that hold the
     * entry), shared with every caller asking for the same span.
     */
    CompletableFuture<ByteBuffer> raw(IndexEntry entry, Span span) {
        Span head = Span.head(entry.objectKey());
        CompletableFuture<ByteBuffer> cachedHead = entry.position() + (long) entry.size() <= OBJECT_HEAD_BYTES
                ? cache.getIfPresent(head) : null;
        Span source = cachedHead != null ? head : span;
        boolean[] loaded = {false};
        CompletableFuture<ByteBuffer> bytes = cachedHead != null ? cachedHead : cache.get(span, (key, executor) -> {
            loaded[0] = true;
            return objects.get(key.objectKey(), key.position(), key.size());
        });
        LOOKUPS.labelValues(loaded[0] ? "miss" : "hit").inc();
        return bytes.thenApply(got -> {
            long from = entry.position() - (long) source.position();
            ByteBuffer range = got.duplicate();
            range.position((int) Math.min(from, range.limit())).limit((int) Math.min(from + entry.size(), range.limit()));
            return checked(entry, range.slice().asReadOnlyBuffer());
        });
    }

    /**
     * Caches an object this agent just committed, straight from the buffer it wrote: consumers
     * tailing the log then read it without a GET. The caller hands the buffer over and must not
     * modify it again.
     */
    public void putCommitted(String objectKey, ByteBuffer object) {
        ByteBuffer head = object.duplicate();
        head.limit(head.position() + Math.min(head.remaining(), OBJECT_HEAD_BYTES));
        cache.put(Span.head(objectKey), CompletableFuture.completedFuture(head.slice()));
    }

    /**
     * Copies raw batches (position to limit of {@code raw}) into {@code out} at its position and
     * assigns them consecutive offsets from {@code baseOffset}; returns the next offset.
     */
    static long withOffsets(ByteBuffer out, ByteBuffer raw, long baseOffset) {
        int start = out.position();
        out.put(raw.duplicate());
        return BatchOffsets.assign(out.duplicate().position(start).limit(out.position()), baseOffset);
    }

    /** The range must be exactly the entry's size and hold exactly its offsets. */
    private static ByteBuffer checked(IndexEntry entry, ByteBuffer range) {
        if (range.remaining() != entry.size()) {
            throw new CorruptSegmentException("read " + range.remaining() + " bytes of " + entry.objectKey() + " at "
                    + entry.position() + ", the index says " + entry.size());
        }
        long count = 0;
        int position = range.position();
        while (position < range.limit()) {
            if (range.limit() - position < BatchOffsets.HEADER_SIZE) {
                throw new CorruptSegmentException("truncated batch header in " + entry.objectKey() + " at byte " + position);
            }
            int size = BatchOffsets.batchSize(range, position);
            if (size < BatchOffsets.HEADER_SIZE || size > range.limit() - position) {
                throw new CorruptSegmentException("batch in " + entry.objectKey() + " at byte " + position + " claims " + size + " bytes");
            }
            count += BatchOffsets.offsetCount(range, position);
            position += size;
        }
        if (entry.baseOffset() + count != entry.lastOffset() + 1) {
            throw new CorruptSegmentException("batches of " + entry.objectKey() + " at " + entry.position()
                    + " end at offset " + (entry.baseOffset() + count - 1) + ", the index says " + entry.lastOffset());
        }
        return range;
    }
}
