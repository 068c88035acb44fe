package dev.runnel.querier.fanout;

import dev.runnel.querier.api.StorageUnavailableException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The end offsets of the ingest topic, asked of the log with one Admin client: one ListOffsets
 * request (latest) for all the partitions a lookup needs. Lookups are coalesced, as Mimir's
 * querier does it: while one request is in flight, every caller that arrives joins the next one,
 * which starts when the first returns. So each caller gets offsets read after it arrived (what
 * read-after-write needs), and a burst of strongly consistent queries costs the log at most two
 * requests at a time, not one per query.
 */
public final class KafkaEndOffsets implements EndOffsets, AutoCloseable {

    private final Admin admin;
    private final String topic;
    private final Duration timeout;
    private final Counter lookups;
    private final Object lock = new Object();
    /** The lookup callers wait for that has not been sent yet; null when none waits. */
    private Round next;
    private boolean inFlight;

    private static final class Round {
        final TreeSet<Integer> partitions = new TreeSet<>();
        final CompletableFuture<Map<Integer, Long>> answer = new CompletableFuture<>();
    }

    KafkaEndOffsets(Admin admin, String topic, Duration timeout, PrometheusRegistry registry) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("end offset lookup timeout must be positive: " + timeout);
        }
        this.admin = admin;
        this.topic = topic;
        this.timeout = timeout;
        this.lookups = Counter.builder()
                .name("runnel_querier_end_offset_lookups_total")
                .help("ListOffsets requests the querier sent to the log for strongly consistent reads (concurrent reads share one).")
                .register(registry);
    }

    /**
     * Connects lazily to the log at {@code bootstrap}.
     *
     * @param timeout how long a lookup may take before the read fails with a timeout
     */
    public static KafkaEndOffsets connect(String bootstrap, String topic, Duration timeout, PrometheusRegistry registry) {
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "runnel-querier"));
        return new KafkaEndOffsets(admin, topic, timeout, registry);
    }

    @Override
    public Map<Integer, Long> endOffsets(List<Integer> partitions) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        CompletableFuture<Map<Integer, Long>> answer;
        synchronized (lock) {
            if (next == null) {
                next = new Round();
            }
            next.partitions.addAll(partitions);
            answer = next.answer;
            if (!inFlight) {
                send();
            }
        }
        try {
            Map<Integer, Long> all = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            Map<Integer, Long> mine = new HashMap<>(partitions.size() * 2);
            partitions.forEach(p -> mine.put(p, all.get(p)));
            return mine;
        } catch (TimeoutException e) {
            throw new StorageUnavailableException("the log did not tell the end offsets of topic " + topic + " within "
                    + timeout.toMillis() + " ms, so the read cannot be strongly consistent", true, e);
        } catch (ExecutionException e) {
            throw new StorageUnavailableException("cannot read the end offsets of topic " + topic
                    + " for a strongly consistent read: " + e.getCause(), false, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted while reading the end offsets of topic " + topic, false, e);
        }
    }

    /** Sends the waiting round; called holding the lock. */
    private void send() {
        Round round = next;
        next = null;
        inFlight = true;
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p : round.partitions) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        lookups.inc();
        ListOffsetsOptions options = new ListOffsetsOptions().timeoutMs((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        admin.listOffsets(request, options).all().whenComplete((result, error) -> {
            if (error != null) {
                round.answer.completeExceptionally(error);
            } else {
                round.answer.complete(offsets(result));
            }
            synchronized (lock) {
                inFlight = false;
                if (next != null) {
                    send();
                }
            }
        });
    }

    private static Map<Integer, Long> offsets(Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result) {
        Map<Integer, Long> offsets = new HashMap<>(result.size() * 2);
        result.forEach((tp, info) -> offsets.put(tp.partition(), info.offset()));
        return offsets;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
