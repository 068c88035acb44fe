package dev.runnel.log.agent;

import dev.runnel.log.fetch.PartitionRead;
import dev.runnel.log.fetch.PartitionReader;
import dev.runnel.log.fetch.WatermarkNotifier;
import dev.runnel.log.metadata.Topic;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers fetches, long-polling until {@code min_bytes} are there or {@code max_wait_ms} has
 * passed. Fetch sessions (KIP-227) are declined by answering session id 0, which makes clients
 * send full fetch requests; an agent keeps no per-client state.
 */
final class FetchHandler {
    private static final Logger log = LoggerFactory.getLogger(FetchHandler.class);
    /** How often a waiting fetch looks for data committed through other agents. */
    static final long POLL_MILLIS = 100;

    private final TopicResolver topics;
    private final PartitionReader reader;
    private final WatermarkNotifier notifier;
    private final ScheduledExecutorService scheduler;
    private final Time time;
    private final AgentMetrics metrics;

    FetchHandler(TopicResolver topics, PartitionReader reader, WatermarkNotifier notifier, ScheduledExecutorService scheduler,
                 Time time, AgentMetrics metrics) {
        this.topics = topics;
        this.reader = reader;
        this.notifier = notifier;
        this.scheduler = scheduler;
        this.time = time;
        this.metrics = metrics;
    }

    CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        FetchRequestData request = (FetchRequestData) message;
        boolean byId = context.version() >= 13;
        List<Wanted> wanted = new ArrayList<>();
        for (FetchRequestData.FetchTopic fetchTopic : request.topics()) {
            Optional<Topic> topic = byId ? topics.byId(fetchTopic.topicId()) : topics.byName(fetchTopic.topic());
            for (FetchRequestData.FetchPartition partition : fetchTopic.partitions()) {
                wanted.add(new Wanted(fetchTopic, topic.orElse(null), partition, byId));
            }
        }
        CompletableFuture<ApiMessage> answer = new CompletableFuture<>();
        long deadline = time.milliseconds() + Math.max(0, request.maxWaitMs());
        attempt(request, wanted, deadline, answer);
        return answer;
    }

    private void attempt(FetchRequestData request, List<Wanted> wanted, long deadline, CompletableFuture<ApiMessage> answer) {
        List<PartitionReader.PartitionFetch> fetches = new ArrayList<>(wanted.size());
        for (Wanted w : wanted) {
            if (w.error() == null) {
                fetches.add(new PartitionReader.PartitionFetch(w.topicPartition(), w.partition.fetchOffset(), w.partition.partitionMaxBytes()));
            }
        }
        Iterator<CompletableFuture<PartitionRead>> planned = reader.read(fetches, request.maxBytes()).iterator();
        List<CompletableFuture<PartitionRead>> reads = new ArrayList<>(wanted.size());
        for (Wanted w : wanted) {
            reads.add(w.error() != null ? CompletableFuture.completedFuture(failed(w.error()))
                    : planned.next().exceptionally(error -> storageError(w, error)));
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> {
            if (error != null) {
                answer.completeExceptionally(error);
                return;
            }
            long bytes = 0;
            boolean anyError = false;
            for (CompletableFuture<PartitionRead> read : reads) {
                bytes += read.join().bytes();
                anyError |= read.join().error() != Errors.NONE;
            }
            long remaining = deadline - time.milliseconds();
            if (bytes >= request.minBytes() || anyError || remaining <= 0) {
                answer.complete(respond(request, wanted, reads));
                return;
            }
            List<TopicPartition> waitingOn = wanted.stream().map(Wanted::topicPartition).toList();
            notifier.await(waitingOn, Math.min(remaining, POLL_MILLIS), scheduler)
                    .thenRun(() -> attempt(request, wanted, deadline, answer));
        });
    }

    private FetchResponseData respond(FetchRequestData request, List<Wanted> wanted, List<CompletableFuture<PartitionRead>> reads) {
        FetchResponseData response = new FetchResponseData().setSessionId(0).setErrorCode(Errors.NONE.code());
        FetchResponseData.FetchableTopicResponse current = null;
        FetchRequestData.FetchTopic currentRequestTopic = null;
        long total = 0;
        for (int i = 0; i < wanted.size(); i++) {
            Wanted w = wanted.get(i);
            PartitionRead read = reads.get(i).join();
            if (w.topic != currentRequestTopic) {
                currentRequestTopic = w.topic;
                current = new FetchResponseData.FetchableTopicResponse().setTopic(w.topic.topic()).setTopicId(w.topic.topicId());
                response.responses().add(current);
            }
            boolean fits = total == 0 || total + read.bytes() <= request.maxBytes();
            FetchResponseData.PartitionData data = new FetchResponseData.PartitionData()
                    .setPartitionIndex(w.partition.partition())
                    .setErrorCode(read.error().code())
                    .setHighWatermark(read.highWatermark())
                    .setLastStableOffset(read.highWatermark())
                    .setLogStartOffset(read.logStartOffset())
                    .setRecords(MemoryRecords.readableRecords(fits ? read.records() : java.nio.ByteBuffer.allocate(0)));
            if (read.error() != Errors.NONE) {
                metrics.partitionError(ApiKeys.FETCH, read.error());
            }
            if (fits) {
                total += read.bytes();
            }
            current.partitions().add(data);
        }
        metrics.fetched(total);
        return response;
    }

    /** A read that failed in the object or metadata store: the consumer retries on KAFKA_STORAGE_ERROR. */
    private static PartitionRead storageError(Wanted wanted, Throwable error) {
        log.warn("fetch of {} at offset {} failed: {}", wanted.topicPartition(), wanted.partition.fetchOffset(), error.toString());
        return failed(Errors.KAFKA_STORAGE_ERROR);
    }

    private static PartitionRead failed(Errors error) {
        return new PartitionRead(error, -1, -1, java.nio.ByteBuffer.allocate(0));
    }

    private record Wanted(FetchRequestData.FetchTopic topic, Topic resolved, FetchRequestData.FetchPartition partition, boolean byId) {
        Errors error() {
            if (resolved == null) {
                return byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
            }
            if (partition.partition() < 0 || partition.partition() >= resolved.partitionCount()) {
                return Errors.UNKNOWN_TOPIC_OR_PARTITION;
            }
            return null;
        }

        TopicPartition topicPartition() {
            return new TopicPartition(resolved == null ? String.valueOf(topic.topic()) : resolved.name(), partition.partition());
        }
    }
}
