package dev.runnel.log.fetch;

import dev.runnel.log.metadata.IndexEntry;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.PartitionOffsets;
import dev.runnel.log.segment.BatchOffsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * Reads one partition from a fetch offset: asks the metadata store which object ranges hold
 * the offsets, reads those ranges through the {@link RangeCache} and returns whole batches, the
 * first one holding the fetch offset (clients skip the records before it, as with Kafka).
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

    /**
     * @param maxBytes    batches past this many bytes are left for the next fetch
     * @param returnFirst return the first batch even when it alone exceeds {@code maxBytes}, so
     *                    a consumer can always make progress (Kafka's KIP-74 rule)
     */
    public CompletableFuture<PartitionRead> read(TopicPartition partition, long fetchOffset, int maxBytes, boolean returnFirst) {
        return CompletableFuture.supplyAsync(() -> plan(partition, fetchOffset, maxBytes), metadataExecutor)
                .thenCompose(plan -> plan.entries.isEmpty() ? CompletableFuture.completedFuture(plan.empty())
                        : load(plan, fetchOffset, maxBytes, returnFirst));
    }

    private Plan plan(TopicPartition partition, long fetchOffset, int maxBytes) {
        Optional<PartitionOffsets> found = metadata.offsets(partition);
        if (found.isEmpty()) {
            return new Plan(PartitionRead.failed(Errors.UNKNOWN_TOPIC_OR_PARTITION), null, List.of());
        }
        PartitionOffsets offsets = found.get();
        if (fetchOffset < offsets.logStartOffset() || fetchOffset > offsets.highWatermark()) {
            return new Plan(new PartitionRead(Errors.OFFSET_OUT_OF_RANGE, offsets.highWatermark(), offsets.logStartOffset(),
                    PartitionRead.NO_RECORDS), offsets, List.of());
        }
        if (fetchOffset == offsets.highWatermark()) {
            return new Plan(null, offsets, List.of());
        }
        List<IndexEntry> chosen = new ArrayList<>();
        long bytes = 0;
        for (IndexEntry entry : metadata.entries(partition, fetchOffset, MAX_ENTRIES)) {
            if (!chosen.isEmpty() && bytes + entry.size() > maxBytes) {
                break;
            }
            chosen.add(entry);
            bytes += entry.size();
        }
        return new Plan(null, offsets, chosen);
    }

    private CompletableFuture<PartitionRead> load(Plan plan, long fetchOffset, int maxBytes, boolean returnFirst) {
        List<CompletableFuture<ByteBuffer>> loads = new ArrayList<>(plan.entries.size());
        for (IndexEntry entry : plan.entries) {
            loads.add(ranges.get(entry));
        }
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<ByteBuffer> pieces = new ArrayList<>(loads.size());
            int total = 0;
            boolean full = false;
            for (int i = 0; i < loads.size() && !full; i++) {
                ByteBuffer range = loads.get(i).join();
                int start = i == 0 ? firstBatchHolding(range, plan.entries.get(0).baseOffset(), fetchOffset) : range.position();
                int end = start;
                while (end < range.limit()) {
                    int size = BatchOffsets.batchSize(range, end);
                    boolean fits = total + (end - start) + size <= maxBytes;
                    if (!fits && !(returnFirst && total == 0 && end == start)) {
                        full = true;
                        break;
                    }
                    end += size;
                }
                if (end > start) {
                    pieces.add(range.duplicate().position(start).limit(end).slice());
                    total += end - start;
                }
            }
            return new PartitionRead(Errors.NONE, plan.offsets.highWatermark(), plan.offsets.logStartOffset(), concat(pieces, total));
        });
    }

    /** Where in {@code range} (whose first batch has {@code baseOffset}) the batch holding {@code offset} starts. */
    private static int firstBatchHolding(ByteBuffer range, long baseOffset, long offset) {
        int position = range.position();
        long next = baseOffset;
        while (position < range.limit()) {
            next += BatchOffsets.offsetCount(range, position);
            if (next > offset) {
                return position;
            }
            position += BatchOffsets.batchSize(range, position);
        }
        return position;
    }

    private static ByteBuffer concat(List<ByteBuffer> pieces, int total) {
        if (pieces.size() == 1) {
            return pieces.get(0);
        }
        ByteBuffer out = ByteBuffer.allocate(total);
        for (ByteBuffer piece : pieces) {
            out.put(piece);
        }
        return out.flip();
    }

    private record Plan(PartitionRead answer, PartitionOffsets offsets, List<IndexEntry> entries) {
        PartitionRead empty() {
            return answer != null ? answer
                    : new PartitionRead(Errors.NONE, offsets.highWatermark(), offsets.logStartOffset(), PartitionRead.NO_RECORDS);
        }
    }
}
