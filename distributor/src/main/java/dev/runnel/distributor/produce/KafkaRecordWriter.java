package dev.runnel.distributor.produce;

import java.nio.charset.StandardCharsets;
import dev.runnel.server.zone.ClientZones;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes records with one idempotent kafka-clients producer shared by all requests. Records
 * are keyed by tenant and go to the partition the sharder chose.
 *
 * <p>The producer waits for every acknowledgement ({@code acks=all}) and is idempotent, so its
 * own retries never duplicate a record. It compresses nothing: the records are small protobuf
 * and the log stores what it gets. It lingers 60 ms: the agent holds each produce request until
 * its flush window (250 ms) is committed, and an idempotent producer keeps at most five requests
 * in flight per connection. Five requests must span the window and its commit (250 ms + some
 * 20 ms), or the sixth waits for a free slot and its records for a whole second window; and a
 * record waits at worst one linger plus one window plus the commit, so the linger is as short as
 * that allows. (Measured with bin/loadgen --find-max against -target=all: 5 ms → 50 ms took the
 * maximum from 99k to 145k samples/s; p99 at half of the maximum, 2026-11-24: 417 ms at 50 ms,
 * 365, 376 and 379 ms at 60 ms (454 ms in a run whose maximum fell to 108k); an earlier day gave
 * 458 ms at 25 ms and 397 ms at 75 ms.)
 * A produce may outlive the HTTP answer
 * (its delivery timeout is twice the request's): a request answered 503 on timeout still
 * lands or fails cleanly, and the sender's retry of it is harmless.
 */
public final class KafkaRecordWriter implements RecordWriter, AutoCloseable {

    static final int LINGER_MS = 60;
    /** Room for the key, the record and batch headers beside the largest record value. */
    private static final int RECORD_OVERHEAD_BYTES = 4096;

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    KafkaRecordWriter(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * A writer to {@code topic} on the log at {@code address}.
     *
     * @param timeout        the distributor's remote timeout: how long one request waits for the log
     * @param maxRecordBytes the largest record value the encoder makes
     * @param zone           this distributor's zone, told to the log in the client id ({@link ClientZones})
     */
    public static KafkaRecordWriter create(String address, String topic, Duration timeout, int maxRecordBytes, String zone) {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE / 2, timeout.toMillis());
        Map<String, Object> config = Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, address),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, ClientZones.clientId("runnel-distributor", zone)),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                Map.entry(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20),
                Map.entry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1 << 20, maxRecordBytes + RECORD_OVERHEAD_BYTES)),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * timeoutMs + LINGER_MS),
                // send() blocks while the producer has no metadata or no buffer memory left; the
                // request would time out by then anyway.
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs),
                Map.entry(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, 50),
                Map.entry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000),
                Map.entry(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 50));
        return new KafkaRecordWriter(new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()), topic);
    }

    /**
     * The topic's partition count as the producer sees it; fetching it connects the producer.
     * Blocks up to the timeout and throws a {@link RecordWriteException} if the log does not answer.
     */
    public int partitionCount() {
        try {
            return producer.partitionsFor(topic).size();
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    @Override
    public CompletableFuture<Void> write(String tenant, List<PartitionRecord> records) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (records.isEmpty()) {
            done.complete(null);
            return done;
        }
        byte[] key = tenant.getBytes(StandardCharsets.UTF_8);
        AtomicInteger pending = new AtomicInteger(records.size());
        for (PartitionRecord record : records) {
            if (done.isDone()) {
                // A send that found no metadata within max.block.ms fails through its callback
                // without throwing; the next one would block as long again.
                break;
            }
            int bytes = record.value().length;
            try {
                producer.send(new ProducerRecord<>(topic, record.partition(), key, record.value()), (metadata, error) -> {
                    if (error != null) {
                        done.completeExceptionally(failure(error));
                    } else {
                        ProduceMetrics.INSTANCE.produced(bytes);
                        if (pending.decrementAndGet() == 0) {
                            done.complete(null);
                        }
                    }
                });
            } catch (RuntimeException e) {
                done.completeExceptionally(failure(e));
                break;
            }
        }
        return done;
    }

    private RecordWriteException failure(Throwable error) {
        String name = error.getClass().getSimpleName();
        ProduceMetrics.INSTANCE.failed(name);
        return new RecordWriteException(name, error instanceof RetriableException,
                "writing to topic " + topic + " failed: " + error.getMessage(), error);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
