package dev.runnel.log.agent;

import dev.runnel.log.fetch.RangeCache;
import dev.runnel.log.metadata.IndexEntry;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.PartitionOffsets;
import dev.runnel.log.metadata.Topic;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ListOffsets: the earliest and latest offsets, and the first offset at or after a timestamp.
 * For a timestamp, the metadata index finds the first run of batches that reaches it; the run
 * is read and its records scanned for the exact offset, as a broker scans a segment after its
 * time index.
 */
final class ListOffsetsHandler {
    private static final Logger log = LoggerFactory.getLogger(ListOffsetsHandler.class);
    private final TopicResolver topics;
    private final MetadataStore metadata;
    private final RangeCache ranges;
    private final Executor metadataExecutor;

    ListOffsetsHandler(TopicResolver topics, MetadataStore metadata, RangeCache ranges, Executor metadataExecutor) {
        this.topics = topics;
        this.metadata = metadata;
        this.ranges = ranges;
        this.metadataExecutor = metadataExecutor;
    }

    CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        ListOffsetsRequestData request = (ListOffsetsRequestData) message;
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (ListOffsetsRequestData.ListOffsetsTopic wanted : request.topics()) {
            Optional<Topic> topic = topics.byName(wanted.name());
            ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse =
                    new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(wanted.name());
            response.topics().add(topicResponse);
            for (ListOffsetsRequestData.ListOffsetsPartition partition : wanted.partitions()) {
                ListOffsetsResponseData.ListOffsetsPartitionResponse out = new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                        .setPartitionIndex(partition.partitionIndex()).setOffset(-1).setTimestamp(-1);
                if (context.version() >= 4) {
                    out.setLeaderEpoch(0); // the epoch Metadata reports; older versions have no such field
                }
                topicResponse.partitions().add(out);
                if (topic.isEmpty() || partition.partitionIndex() < 0 || partition.partitionIndex() >= topic.get().partitionCount()) {
                    out.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic.get().name(), partition.partitionIndex());
                pending.add(lookup(tp, partition.timestamp())
                        .exceptionally(error -> {
                            log.warn("ListOffsets of {} failed: {}", tp, error.toString());
                            return new Found(Errors.KAFKA_STORAGE_ERROR, -1, -1);
                        })
                        .thenAccept(found -> out.setErrorCode(found.error.code()).setOffset(found.offset).setTimestamp(found.timestamp)));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(done -> response);
    }

    private CompletableFuture<Found> lookup(TopicPartition partition, long timestamp) {
        if (timestamp >= 0) {
            return CompletableFuture.supplyAsync(() -> metadata.entryForTimestamp(partition, timestamp), metadataExecutor)
                    .thenCompose(entry -> entry.isEmpty() ? CompletableFuture.completedFuture(Found.NONE)
                            : ranges.get(entry.get()).thenApply(bytes -> scan(entry.get(), bytes, timestamp)));
        }
        return CompletableFuture.supplyAsync(() -> {
            Optional<PartitionOffsets> offsets = metadata.offsets(partition);
            if (offsets.isEmpty()) {
                return new Found(Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1);
            }
            if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
                return new Found(Errors.NONE, offsets.get().logStartOffset(), -1);
            }
            if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
                return new Found(Errors.NONE, offsets.get().highWatermark(), -1);
            }
            return new Found(Errors.UNSUPPORTED_VERSION, -1, -1);
        }, metadataExecutor);
    }

    private static Found scan(IndexEntry entry, ByteBuffer bytes, long timestamp) {
        for (RecordBatch batch : MemoryRecords.readableRecords(bytes).batches()) {
            if (batch.maxTimestamp() < timestamp) {
                continue;
            }
            for (Record record : batch) {
                if (record.timestamp() >= timestamp) {
                    return new Found(Errors.NONE, record.offset(), record.timestamp());
                }
            }
        }
        // The index promised a record at or after the timestamp; the next entry holds it.
        return new Found(Errors.NONE, entry.lastOffset() + 1, -1);
    }

    private record Found(Errors error, long offset, long timestamp) {
        static final Found NONE = new Found(Errors.NONE, -1, -1);
    }
}
