package dev.runnel.log.fetch;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.runnel.log.metadata.IndexEntry;
import dev.runnel.log.objectstore.ObjectStore;
import dev.runnel.log.segment.BatchOffsets;
import dev.runnel.log.segment.CorruptSegmentException;
import io.prometheus.metrics.core.metrics.Counter;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bytes of segment objects as they were written, bounded in bytes. An object never changes once
 * written, so nothing cached ever goes stale.
 *
 * <p>What is cached is objects' heads: an object's first {@link #OBJECT_HEAD_BYTES}, serving every
 * partition's range inside it. Objects this agent commits go in as they are written, so
 * consumers at the tail read without a GET; {@link #get} reads a head with one GET. A fetch that
 * finds no cached head reads the spans it plans (one or more entries of one object) and keeps
 * them only while they are being read. Concurrent readers of anything not there yet share one
 * GET: Caffeine's async cache hands every caller the same pending future, and so does the map
 * of spans being read.
 *
 * <p>The bytes are kept as written but for their offsets: a fetch whose answer for a partition is
 * one contiguous range assigns the range's offsets in place ({@link #assignInPlace}) and answers
 * with a view of it; otherwise it copies the ranges out and assigns offsets in the copy
 * ({@link #withOffsets}). Keeping assigned copies of ranges beside the heads held every byte twice.
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
    private final Map<Span, CompletableFuture<ByteBuffer>> reading = new ConcurrentHashMap<>();

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

    /** The entry's batches with offsets assigned, in a buffer of the caller's own. Reads (and caches) the object's head. */
    public CompletableFuture<ByteBuffer> get(IndexEntry entry) {
        Span span = entry.position() + (long) entry.size() <= OBJECT_HEAD_BYTES ? Span.head(entry.objectKey())
                : new Span(entry.objectKey(), entry.position(), entry.size());
        CompletableFuture<ByteBuffer> bytes = span.size() == OBJECT_HEAD_BYTES && span.position() == 0
                ? cachedHead(span) : read(span);
        return bytes.thenApply(got -> {
            ByteBuffer raw = entry(entry, span, got);
            ByteBuffer own = ByteBuffer.allocate(raw.remaining());
            withOffsets(own, raw, entry.baseOffset());
            return own.flip();
        });
    }

    private CompletableFuture<ByteBuffer> cachedHead(Span head) {
        boolean[] loaded = {false};
        CompletableFuture<ByteBuffer> bytes = cache.get(head, (key, executor) -> {
            loaded[0] = true;
            return objects.get(key.objectKey(), key.position(), key.size());
        });
        LOOKUPS.labelValues(loaded[0] ? "miss" : "hit").inc();
        return bytes;
    }

    /**
     * Bytes of the span (index 0 is the span's first byte): from the object's cached head, or
     * read once for every caller asking while it is being read, and not kept. Spans are what a
     * consumer behind the tail reads, once; keeping them made the collector copy hundreds of MiB
     * of them between generations.
     */
    CompletableFuture<ByteBuffer> read(Span span) {
        CompletableFuture<ByteBuffer> head = span.position() + (long) span.size() <= OBJECT_HEAD_BYTES
                ? cache.getIfPresent(Span.head(span.objectKey())) : null;
        if (head != null) {
            LOOKUPS.labelValues("hit").inc();
            return head.thenApply(bytes -> bytes.duplicate().position(Math.min(span.position(), bytes.limit()))
                    .limit((int) Math.min((long) span.position() + span.size(), bytes.limit())).slice());
        }
        LOOKUPS.labelValues("miss").inc();
        boolean[] first = {false};
        CompletableFuture<ByteBuffer> pending = reading.computeIfAbsent(span, key -> {
            first[0] = true;
            return new CompletableFuture<>();
        });
        if (first[0]) {
            objects.get(span.objectKey(), span.position(), span.size()).whenComplete((bytes, error) -> {
                reading.remove(span, pending);
                if (error != null) {
                    pending.completeExceptionally(error);
                } else {
                    pending.complete(bytes);
                }
            });
        }
        return pending;
    }

    /**
     * The entry's batches out of the bytes of a span holding it, checked against the index: a
     * view of the span's bytes. The only change a reader may make to it is {@link #assignInPlace}.
     */
    static ByteBuffer entry(IndexEntry entry, Span span, ByteBuffer spanBytes) {
        long from = entry.position() - (long) span.position();
        ByteBuffer range = spanBytes.duplicate();
        range.position((int) Math.min(from, range.limit())).limit((int) Math.min(from + entry.size(), range.limit()));
        return checked(entry, range.slice());
    }

    /**
     * Assigns offsets from {@code baseOffset} to the batches of {@code raw} (a view from
     * {@link #entry}) in place, when its bytes can be written; returns whether it did. Safe while
     * other readers share the bytes: a batch has one place in one index entry, so every reader
     * writes the same offset into it (and leader epoch 0), and once written the bytes never
     * change again; the offset fields are outside the batch's CRC.
     */
    static boolean assignInPlace(ByteBuffer raw, long baseOffset) {
        if (raw.isReadOnly()) {
            return false;
        }
        BatchOffsets.assign(raw.duplicate(), baseOffset);
        return true;
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
