package dev.runnel.log.fetch;

import dev.runnel.log.metadata.IndexEntry;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.PartitionOffsets;
import dev.runnel.log.segment.BatchOffsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * Reads the partitions of one fetch: asks the metadata store which object ranges hold the
 * offsets, reads those ranges through the {@link RangeCache} and returns whole batches, the
 * first one holding the fetch offset (clients skip the records before it, as with Kafka).
 *
 * <p>The partitions share the fetch's byte budget ({@code fetch.max.bytes}), handed out while
 * planning, one index entry per partition per round, so that a fetch reads only what its answer
 * can hold and reads it from few objects: an object holds one flush of every partition, and the
 * partitions' n-th entries mostly lie in the same objects. (Kafka fills partitions one after the
 * other; a consumer catching up on 64 partitions then needed a slice of some 60 objects per
 * partition, more objects than the cache holds.) Answering less than a partition's
 * {@code max.partition.fetch.bytes} is allowed: the consumer asks again.
 */
public final class PartitionReader {
    /** Index entries looked up per read; more than a fetch's byte budget ever needs in practice. */
    private static final int MAX_ENTRIES = 64;

    private final MetadataStore metadata;
    private final RangeCache ranges;
    private final Executor metadataExecutor;

    public PartitionReader(MetadataStore metadata, RangeCache ranges, Executor metadataExecutor) {
        this.metadata = metadata;
        this.ranges = ranges;
        this.metadataExecutor = metadataExecutor;
    }

    /** One partition of a fetch: the offset to read from and the most bytes it may return. */
    public record PartitionFetch(TopicPartition partition, long offset, int maxBytes) {
    }

    /**
     * Plans every partition in one task on the metadata executor, then reads their ranges
     * concurrently. The first partition holding data returns its first batch even when that
     * batch alone exceeds the budget, so a consumer always makes progress (Kafka's KIP-74 rule).
     *
     * @param maxBytes the fetch's budget over all partitions (a consumer's {@code fetch.max.bytes})
     * @return one read per fetch, in the same order; a read fails on its own when its ranges cannot be read
     */
    public List<CompletableFuture<PartitionRead>> read(List<PartitionFetch> fetches, int maxBytes) {
        CompletableFuture<Planned> planned = CompletableFuture.supplyAsync(() -> plan(fetches, maxBytes), metadataExecutor)
                .thenApply(this::startReads);
        List<CompletableFuture<PartitionRead>> reads = new ArrayList<>(fetches.size());
        for (int i = 0; i < fetches.size(); i++) {
            int index = i;
            reads.add(planned.thenCompose(fetch -> load(fetch.plans.get(index), fetch)));
        }
        return reads;
    }

    /** A fetch's plans, the span each planned entry is read through, and the reads of those spans. */
    private record Planned(List<Plan> plans, Map<IndexEntry, RangeCache.Span> spans,
                           Map<RangeCache.Span, CompletableFuture<ByteBuffer>> reads) {
    }

    /** Starts one read per span for the whole fetch, however many entries (partitions) it serves. */
    private Planned startReads(List<Plan> plans) {
        Map<IndexEntry, RangeCache.Span> spans = spans(plans);
        Map<RangeCache.Span, CompletableFuture<ByteBuffer>> reads = new HashMap<>();
        spans.values().forEach(span -> reads.computeIfAbsent(span, ranges::read));
        return new Planned(plans, spans, reads);
    }

    /**
     * What to read for each planned entry: the entries of one object are read together, as one
     * span from the first to the last, unless the bytes between them (other partitions' data)
     * would more than double the read; then each is read on its own. Reading whole objects for a
     * consumer far behind on a few partitions read every byte several times over.
     */
    private static Map<IndexEntry, RangeCache.Span> spans(List<Plan> plans) {
        Map<String, List<IndexEntry>> byObject = new HashMap<>();
        for (Plan plan : plans) {
            for (IndexEntry entry : plan.entries) {
                byObject.computeIfAbsent(entry.objectKey(), key -> new ArrayList<>()).add(entry);
            }
        }
        Map<IndexEntry, RangeCache.Span> spans = new HashMap<>();
        byObject.forEach((key, entries) -> {
            long wanted = 0;
            int start = Integer.MAX_VALUE;
            int end = 0;
            for (IndexEntry entry : entries) {
                wanted += entry.size();
                start = Math.min(start, entry.position());
                end = Math.max(end, entry.position() + entry.size());
            }
            boolean together = end - start <= 2 * wanted;
            for (IndexEntry entry : entries) {
                spans.put(entry, together ? new RangeCache.Span(key, start, end - start)
                        : new RangeCache.Span(key, entry.position(), entry.size()));
            }
        });
        return spans;
    }

    private List<Plan> plan(List<PartitionFetch> fetches, int maxBytes) {
        List<Plan> plans = new ArrayList<>(fetches.size());
        List<List<IndexEntry>> candidates = new ArrayList<>(fetches.size());
        for (PartitionFetch fetch : fetches) {
            Plan plan = lookUp(fetch);
            plans.add(plan);
            candidates.add(plan.answer == null && fetch.offset() < plan.offsets.highWatermark() && fetch.maxBytes() > 0
                    ? metadata.entries(fetch.partition(), fetch.offset(), MAX_ENTRIES) : List.of());
        }
        // One entry per partition per round: the partitions' n-th entries mostly come from the same
        // flushes, so a fetch reads a few whole objects rather than one slice of many.
        long budget = Math.max(0, maxBytes);
        long total = 0;
        long[] partitionBytes = new long[fetches.size()];
        boolean[] done = new boolean[fetches.size()];
        boolean any = true;
        for (int round = 0; any; round++) {
            any = false;
            for (int p = 0; p < fetches.size(); p++) {
                List<IndexEntry> entries = candidates.get(p);
                if (done[p] || round >= entries.size()) {
                    continue;
                }
                IndexEntry entry = entries.get(round);
                boolean firstOfFetch = total == 0;
                if (!firstOfFetch && (total + entry.size() > budget
                        || round > 0 && partitionBytes[p] + entry.size() > fetches.get(p).maxBytes())) {
                    done[p] = true;
                    continue;
                }
                Plan plan = plans.get(p);
                plan.entries.add(entry);
                if (firstOfFetch) {
                    plans.set(p, plan = new Plan(null, plan.offsets, plan.entries, plan.fetchOffset, plan.maxBytes, true));
                }
                partitionBytes[p] += entry.size();
                total += entry.size();
                any = true;
            }
        }
        return plans;
    }

    /** The partition's offsets, or the answer when there is nothing to read. */
    private Plan lookUp(PartitionFetch fetch) {
        Optional<PartitionOffsets> found = metadata.offsets(fetch.partition());
        if (found.isEmpty()) {
            return Plan.answered(PartitionRead.failed(Errors.UNKNOWN_TOPIC_OR_PARTITION));
        }
        PartitionOffsets offsets = found.get();
        if (fetch.offset() < offsets.logStartOffset() || fetch.offset() > offsets.highWatermark()) {
            return Plan.answered(new PartitionRead(Errors.OFFSET_OUT_OF_RANGE, offsets.highWatermark(), offsets.logStartOffset(),
                    PartitionRead.NO_RECORDS));
        }
        return new Plan(null, offsets, new ArrayList<>(), fetch.offset(), Math.max(0, fetch.maxBytes()), false);
    }

    private CompletableFuture<PartitionRead> load(Plan plan, Planned fetch) {
        if (plan.answer != null) {
            return CompletableFuture.completedFuture(plan.answer);
        }
        if (plan.entries.isEmpty()) {
            return CompletableFuture.completedFuture(
                    new PartitionRead(Errors.NONE, plan.offsets.highWatermark(), plan.offsets.logStartOffset(), PartitionRead.NO_RECORDS));
        }
        List<CompletableFuture<ByteBuffer>> loads = new ArrayList<>(plan.entries.size());
        for (IndexEntry entry : plan.entries) {
            RangeCache.Span span = fetch.spans.get(entry);
            loads.add(fetch.reads.get(span).thenApply(bytes -> RangeCache.entry(entry, span, bytes)));
        }
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Piece> pieces = new ArrayList<>(loads.size());
            int total = 0;
            boolean full = false;
            for (int i = 0; i < loads.size() && !full; i++) {
                ByteBuffer range = loads.get(i).join();
                long offset = plan.entries.get(i).baseOffset();
                int start = range.position();
                if (i == 0) {
                    while (start < range.limit() && offset + BatchOffsets.offsetCount(range, start) <= plan.fetchOffset) {
                        offset += BatchOffsets.offsetCount(range, start);
                        start += BatchOffsets.batchSize(range, start);
                    }
                }
                int end = start;
                while (end < range.limit()) {
                    int size = BatchOffsets.batchSize(range, end);
                    boolean fits = total + (end - start) + size <= plan.maxBytes;
                    if (!fits && !(plan.returnFirst && total == 0 && end == start)) {
                        full = true;
                        break;
                    }
                    end += size;
                }
                if (end > start) {
                    pieces.add(new Piece(range.duplicate().position(start).limit(end), offset));
                    total += end - start;
                }
            }
            return new PartitionRead(Errors.NONE, plan.offsets.highWatermark(), plan.offsets.logStartOffset(), records(pieces, total));
        });
    }

    /**
     * The partition's answer: a view of the one piece with its offsets assigned in place, which
     * spares a copy of every byte fetched; or the pieces copied into one buffer.
     */
    private static ByteBuffer records(List<Piece> pieces, int total) {
        if (pieces.size() == 1 && RangeCache.assignInPlace(pieces.get(0).raw, pieces.get(0).baseOffset)) {
            return pieces.get(0).raw.slice();
        }
        ByteBuffer records = ByteBuffer.allocate(total);
        for (Piece piece : pieces) {
            RangeCache.withOffsets(records, piece.raw, piece.baseOffset);
        }
        return records.flip();
    }

    /** Raw batches of one index entry that go into the answer, and the offset of the first. */
    private record Piece(ByteBuffer raw, long baseOffset) {
    }

    private record Plan(PartitionRead answer, PartitionOffsets offsets, List<IndexEntry> entries, long fetchOffset,
                        int maxBytes, boolean returnFirst) {
        static Plan answered(PartitionRead answer) {
            return new Plan(answer, null, List.of(), 0, 0, false);
        }
    }
}
