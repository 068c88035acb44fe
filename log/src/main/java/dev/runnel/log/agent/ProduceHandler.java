package dev.runnel.log.agent;

import dev.runnel.log.metadata.AppendResult;
import dev.runnel.log.metadata.ProducerBatch;
import dev.runnel.log.metadata.Topic;
import dev.runnel.log.produce.ProduceBuffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Validates each partition's record batch and hands it to the {@link ProduceBuffer}; answers
 * once every batch of the request is committed (acks=1 and acks=all alike: there is no weaker
 * durability to offer), or never for acks=0.
 */
final class ProduceHandler {
    /** Kafka's default max.message.bytes: the largest batch a topic accepts. */
    static final int MAX_BATCH_BYTES = 1024 * 1024 + 12;

    private final TopicResolver topics;
    private final ProduceBuffer buffer;
    private final AgentMetrics metrics;

    ProduceHandler(TopicResolver topics, ProduceBuffer buffer, AgentMetrics metrics) {
        this.topics = topics;
        this.buffer = buffer;
        this.metrics = metrics;
    }

    CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        ProduceRequestData request = (ProduceRequestData) message;
        boolean byId = context.version() >= 13;
        ProduceResponseData response = new ProduceResponseData();
        List<ProduceBuffer.Batch> batches = new ArrayList<>();
        List<ProduceResponseData.PartitionProduceResponse> batchResponses = new ArrayList<>();
        Errors requestError = requestError(request);
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            Optional<Topic> topic = byId ? topics.byId(topicData.topicId()) : topics.byName(topicData.name());
            ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse()
                    .setName(topicData.name()).setTopicId(topicData.topicId());
            response.responses().add(topicResponse);
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                ProduceResponseData.PartitionProduceResponse partitionResponse = new ProduceResponseData.PartitionProduceResponse()
                        .setIndex(partitionData.index()).setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
                topicResponse.partitionResponses().add(partitionResponse);
                Rejection rejection = requestError != Errors.NONE ? new Rejection(requestError, requestErrorMessage(requestError))
                        : topic.isEmpty() ? new Rejection(byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION, null)
                        : partitionData.index() < 0 || partitionData.index() >= topic.get().partitionCount()
                        ? new Rejection(Errors.UNKNOWN_TOPIC_OR_PARTITION, null)
                        : validate(partitionData);
                if (rejection != null) {
                    reject(partitionResponse, rejection.error(), rejection.message());
                    continue;
                }
                MemoryRecords records = (MemoryRecords) partitionData.records();
                RecordBatch batch = records.batches().iterator().next();
                ProducerBatch producer = batch.hasProducerId()
                        ? new ProducerBatch(batch.producerId(), batch.producerEpoch(), batch.baseSequence(), batch.lastSequence())
                        : ProducerBatch.NONE;
                metrics.produced(records.sizeInBytes());
                TopicPartition partition = new TopicPartition(topic.get().name(), partitionData.index());
                batches.add(new ProduceBuffer.Batch(partition, records.buffer(), producer));
                batchResponses.add(partitionResponse);
            }
        }
        List<CompletableFuture<AppendResult>> results = buffer.append(batches);
        CompletableFuture<?>[] pending = new CompletableFuture<?>[results.size()];
        for (int i = 0; i < pending.length; i++) {
            ProduceResponseData.PartitionProduceResponse partitionResponse = batchResponses.get(i);
            pending[i] = results.get(i).thenAccept(result -> answer(partitionResponse, result));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(pending);
        if (request.acks() == 0) {
            return null;
        }
        return all.thenApply(done -> response);
    }

    private static Errors requestError(ProduceRequestData request) {
        if (request.acks() != 0 && request.acks() != 1 && request.acks() != -1) {
            return Errors.INVALID_REQUIRED_ACKS;
        }
        if (request.transactionalId() != null) {
            return Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        return Errors.NONE;
    }

    private static String requestErrorMessage(Errors error) {
        return error == Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
                ? "Runnel does not support transactions" : "acks must be -1, 0 or 1";
    }

    /** Checks the partition's records as a Kafka broker does for produce v3+: exactly one valid v2 batch. */
    private static Rejection validate(ProduceRequestData.PartitionProduceData partitionData) {
        if (!(partitionData.records() instanceof MemoryRecords records) || records.sizeInBytes() == 0) {
            return new Rejection(Errors.INVALID_RECORD, "the partition's records are empty");
        }
        MutableRecordBatch batch;
        try {
            Iterator<MutableRecordBatch> batches = records.batches().iterator();
            batch = batches.next();
            if (batches.hasNext()) {
                return new Rejection(Errors.INVALID_RECORD, "a produce request must hold exactly one record batch per partition");
            }
        } catch (RuntimeException e) {
            return new Rejection(Errors.CORRUPT_MESSAGE, "unreadable record batch: " + e.getMessage());
        }
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
            return new Rejection(Errors.UNSUPPORTED_FOR_MESSAGE_FORMAT, "record batch magic " + batch.magic() + " is not supported, only v2");
        }
        if (batch.sizeInBytes() != records.sizeInBytes()) {
            return new Rejection(Errors.CORRUPT_MESSAGE, "bytes after the record batch");
        }
        if (batch.sizeInBytes() > MAX_BATCH_BYTES) {
            return new Rejection(Errors.MESSAGE_TOO_LARGE, "record batch of " + batch.sizeInBytes() + " bytes exceeds " + MAX_BATCH_BYTES);
        }
        if (!batch.isValid()) {
            return new Rejection(Errors.CORRUPT_MESSAGE, "record batch CRC mismatch");
        }
        if (batch.isTransactional() || batch.isControlBatch()) {
            return new Rejection(Errors.INVALID_RECORD, "Runnel does not support transactions");
        }
        return null;
    }

    private void reject(ProduceResponseData.PartitionProduceResponse response, Errors error, String message) {
        metrics.partitionError(ApiKeys.PRODUCE, error);
        response.setErrorCode(error.code()).setErrorMessage(message);
    }

    private void answer(ProduceResponseData.PartitionProduceResponse response, AppendResult result) {
        if (result.error() != Errors.NONE) {
            reject(response, result.error(), result.error() == Errors.KAFKA_STORAGE_ERROR
                    ? "the agent could not write to object storage or commit to the metadata store; retry" : null);
            return;
        }
        response.setBaseOffset(result.baseOffset()).setLogStartOffset(result.logStartOffset());
    }

    private record Rejection(Errors error, String message) {
    }
}
