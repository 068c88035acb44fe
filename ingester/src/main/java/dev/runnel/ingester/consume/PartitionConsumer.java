package dev.runnel.ingester.consume;

import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.head.PipelinedAppender;
import dev.runnel.ingester.head.TenantHead;
import dev.runnel.ingester.record.RecordDecoder;
import dev.runnel.ingester.record.UndecodableRecordException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays one partition of the ingest topic into the heads, on one dedicated thread that is the
 * heads' only writer (see {@code TenantHead}): poll, then for each record the tenant's head
 * from its key and {@link RecordDecoder#decode}, which hands the samples to a
 * {@link PipelinedAppender} so that they are appended on a second thread while the next series
 * are decoded; the poll's records are all appended before anything else runs. {@link Heads#gc()}
 * runs on the consumer thread every {@link ConsumeConfig#gcInterval()}. The partition is
 * assigned, never subscribed: the partition ring, not a group rebalance, decides which ingester
 * reads it.
 *
 * <p>A record that cannot be read (bad key, unknown version, malformed body) is counted by reason
 * in {@code runnel_ingester_records_skipped_total} and skipped; consumption never stops for one.
 * When the log's retention has deleted the offset the consumer was at, it restarts at the earliest
 * offset left, logging once and counting {@code runnel_ingester_partition_offset_resets_total}.
 *
 * <p>Offsets are committed under the ingester's group only through {@link #commitDurable}: the
 * head lives in memory, so committing what was merely applied would, after a crash, let anyone
 * resuming from the group's offset skip the records that were lost with the memory. The
 * {@link Checkpoint} (the snapshotter) runs between polls on this thread and commits the offset
 * its snapshot covers once the snapshot is durable; on {@link #close()} it takes a last snapshot,
 * whose offset is committed before the Kafka client closes.
 */
public final class PartitionConsumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    private static final long END_OFFSET_INTERVAL_MS = 1000;

    private final ConsumeConfig config;
    private final TopicPartition partition;
    private final Heads heads;
    private final OptionalLong resume;
    private final Time time;
    private final Consumer<byte[], byte[]> consumer;
    private final Progress progress;
    private final ConsumerMetrics.Partition metrics;
    private final SkippedRecords skipped;
    private final OffsetWaiters waiters = new OffsetWaiters();
    private final TenantKeys tenants = new TenantKeys();
    private final RecordDecoder decoder = new RecordDecoder();
    private final PipelinedAppender appender;
    private final AtomicReference<PendingCommit> pendingCommit = new AtomicReference<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean ready = new AtomicBoolean();
    private final Checkpoint checkpoint;
    private final Thread thread;
    /** Every record before this offset is in the heads and no later one; negative before the start. Consumer thread only. */
    private long headsOffset = -1;
    /** The timestamp of the last record applied, or negative; consumer thread only. */
    private long lastTimestampApplied = -1;
    private long nextGc;
    private long nextEndOffsetCheck;

    private PartitionConsumer(ConsumeConfig config, Heads heads, OptionalLong resume, ConsumerMetrics metrics, Time time,
                              Function<PartitionConsumer, Checkpoint> checkpoint) {
        this.config = config;
        this.partition = new TopicPartition(config.topic(), config.partition());
        this.heads = heads;
        this.resume = resume;
        this.time = time;
        this.consumer = new KafkaConsumer<>(kafkaConfig(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.progress = new Progress(time);
        this.metrics = metrics.partition(config.partition(), progress);
        this.skipped = new SkippedRecords(this.metrics);
        this.checkpoint = checkpoint.apply(this);
        this.thread = new Thread(this::run, "partition-consumer-" + partition);
        this.appender = new PipelinedAppender("head-appender-" + partition);
    }

    /**
     * Starts replaying {@code config}'s partition into {@code heads}: from {@code resume} when
     * given (the offset after the last record a snapshot holds), else from where the retention
     * window begins ({@link StartOffset}). Reports in {@code metrics} until closed.
     */
    public static PartitionConsumer start(ConsumeConfig config, Heads heads, OptionalLong resume, ConsumerMetrics metrics, Time time) {
        return start(config, heads, resume, metrics, time, consumer -> Checkpoint.NONE);
    }

    /**
     * As {@link #start(ConsumeConfig, Heads, OptionalLong, ConsumerMetrics, Time)}, with a checkpoint
     * (made for this consumer, whose {@link #commitDurable} it may call) run between polls and on close.
     */
    public static PartitionConsumer start(ConsumeConfig config, Heads heads, OptionalLong resume, ConsumerMetrics metrics, Time time,
                                          Function<PartitionConsumer, Checkpoint> checkpoint) {
        PartitionConsumer c = new PartitionConsumer(config, heads, resume, metrics, time, checkpoint);
        c.thread.start();
        return c;
    }

    private static Map<String, Object> kafkaConfig(ConsumeConfig config) {
        Map<String, Object> kafka = new HashMap<>();
        kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        kafka.put(ConsumerConfig.GROUP_ID_CONFIG, config.group());
        kafka.put(ConsumerConfig.CLIENT_ID_CONFIG, config.clientId());
        kafka.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // see the class comment
        kafka.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"); // a lost offset is handled here, said and counted
        // The topic's partition count is the distributors' to choose; an ingester started first must not create it with the log's default.
        kafka.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return kafka;
    }

    /** The offset of the next record to apply; every record before it is in the heads. Negative before the start. */
    public long nextOffset() {
        return progress.nextOffset();
    }

    /**
     * Whether the consumer reached the end the partition had when it started, or applied a record
     * produced no more than {@code maxLag} ago (lag in time, as Mimir's ingesters measure it).
     */
    public boolean isCaughtUp(Duration maxLag) {
        return progress.caughtUp(maxLag);
    }

    /**
     * A readiness check ({@code dev.runnel.server.Readiness#add}): not ready until caught up within
     * {@link ConsumeConfig#maxReadyLag()}; once ready, ready for good, since falling behind later
     * is a matter for the lag metrics, not a reason to take the ingester out of service.
     */
    public Supplier<Optional<String>> readinessCheck() {
        return () -> {
            if (ready.get() || progress.caughtUp(config.maxReadyLag())) {
                ready.set(true);
                return Optional.empty();
            }
            return Optional.of("partition " + partition + " is replaying: " + progress.lagRecords()
                    + " records, " + progress.lagSeconds() + " s behind (ready within " + config.maxReadyLag().toSeconds() + " s)");
        };
    }

    /** Completes once the record at {@code offset} has been applied to the heads; fails if the consumer closes first. */
    public CompletableFuture<Void> applied(long offset) {
        return waiters.await(offset);
    }

    /** Waits until the record at {@code offset} has been applied; false if {@code timeout} passed or the consumer closed first. */
    public boolean waitForOffset(long offset, Duration timeout) throws InterruptedException {
        try {
            applied(offset).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        }
    }

    /**
     * Commits {@code nextOffset} under the ingester's group: every record before it is durable
     * (in a snapshot). The consumer thread commits on its next turn; the future says how it went.
     * A newer call before then replaces this one, and both futures complete with the newer commit.
     */
    public CompletableFuture<Void> commitDurable(long nextOffset) {
        if (nextOffset < 0) {
            throw new IllegalArgumentException("offset to commit must not be negative: " + nextOffset);
        }
        PendingCommit commit = new PendingCommit(nextOffset, new CompletableFuture<>());
        PendingCommit replaced = pendingCommit.getAndSet(commit);
        if (replaced != null) {
            commit.future.whenComplete((ok, error) -> {
                if (error == null) {
                    replaced.future.complete(null);
                } else {
                    replaced.future.completeExceptionally(error);
                }
            });
        }
        if (closing.get()) { // the thread may be past its last look at pending commits
            failPendingCommit();
        }
        return commit.future;
    }

    /** Stops consuming: wakes the consumer, waits for its thread to end and closes the Kafka client. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed.countDown();
        consumer.wakeup();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- consumer thread ----

    private void run() {
        boolean started = false;
        try {
            while (!closing.get()) {
                try {
                    if (!started) {
                        begin();
                        started = true;
                    }
                    pollOnce();
                    checkpoint.afterPoll(headsOffset);
                    commitPending();
                    gcIfDue();
                } catch (WakeupException e) {
                    // close() woke us; the loop condition ends it
                } catch (OffsetOutOfRangeException e) {
                    Long lost = e.offsetOutOfRangePartitions().get(partition);
                    consumer.seekToBeginning(List.of(partition));
                    long earliest = consumer.position(partition);
                    headsOffset = earliest;
                    log.warn("offset {} of {} is gone from the log (deleted by retention?): restarting at the earliest offset, {}",
                            lost, partition, earliest);
                    metrics.offsetReset();
                } catch (KafkaException e) {
                    log.warn("consuming {} failed, retrying in {} ms: {}", partition, RETRY_BACKOFF.toMillis(), e.toString());
                    closed.await(RETRY_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            // Closed: the heads hold exactly the records before headsOffset, even if close() interrupted a poll
            // (negative if the consumer never started: the checkpoint then only shuts down).
            commitLast(checkpoint.beforeClose(headsOffset));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("the consumer of {} stopped on an unexpected error", partition, e);
        } finally {
            waiters.close(closedError());
            failPendingCommit();
            consumer.close(Duration.ZERO);
            appender.close();
            metrics.close();
        }
    }

    /** Commits the offset the last snapshot made durable; a wakeup left over from close() fails the first try. */
    private void commitLast(long durable) {
        if (durable < 0) {
            return;
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(durable)), REQUEST_TIMEOUT);
                return;
            } catch (WakeupException e) {
                // close() woke a consumer that was not blocked: the next call gets it, this one
            } catch (KafkaException e) {
                log.warn("committing offset {} of {} for group {} on close failed: {}", durable, partition, config.group(), e.toString());
                return;
            }
        }
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("partition consumer of " + partition + " is closed");
    }

    private void failPendingCommit() {
        PendingCommit commit = pendingCommit.getAndSet(null);
        if (commit != null) {
            commit.future.completeExceptionally(closedError());
        }
    }

    private void begin() {
        consumer.assign(List.of(partition));
        long start = StartOffset.resolve(consumer, partition, resume, config.retention(), time, REQUEST_TIMEOUT);
        long end = consumer.endOffsets(List.of(partition), REQUEST_TIMEOUT).get(partition);
        consumer.seek(partition, start);
        headsOffset = start;
        progress.started(end);
        // Waiters advance after the first poll, not here: the log may no longer hold the start offset.
        nextGc = time.milliseconds() + config.gcInterval().toMillis();
        nextEndOffsetCheck = time.milliseconds() + END_OFFSET_INTERVAL_MS;
        log.info("consuming {} from offset {} ({}); the partition ends at {}", partition, start,
                resume.isPresent() ? "resumed" : "the first record within the retention of " + config.retention(), end);
    }

    private void pollOnce() {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        if (!records.isEmpty()) {
            applyAll(records);
        }
        metrics.consumed(records.count());
        long next = consumer.position(partition);
        headsOffset = next;
        progress.applied(next, lastTimestampApplied);
        OptionalLong lag = consumer.currentLag(partition);
        long now = time.milliseconds();
        if (lag.isPresent()) {
            progress.end(next + lag.getAsLong());
        } else if (now >= nextEndOffsetCheck) {
            progress.end(consumer.endOffsets(List.of(partition), REQUEST_TIMEOUT).get(partition));
            nextEndOffsetCheck = now + END_OFFSET_INTERVAL_MS;
        }
        waiters.advance(next);
    }

    /**
     * Applies a poll's records: decodes them here and appends on the appender thread, then waits
     * until all are appended, so that whatever runs between polls (the checkpoint, gc, waiters)
     * sees every record before {@link #headsOffset} in the heads.
     */
    private void applyAll(ConsumerRecords<byte[], byte[]> records) {
        long before = samplesAppended();
        long first = -1;
        long last = -1;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            apply(record);
            first = first < 0 ? record.offset() : first;
            last = record.offset();
            lastTimestampApplied = record.timestamp();
        }
        try {
            appender.awaitApplied();
        } catch (IllegalStateException e) {
            // A bug, not bad data; still it must not stop the partition.
            skipped.skip("internal_error", partition + "@" + first + ".." + last, e.getMessage(), e);
        }
        headsOffset = last + 1;
        metrics.samples(samplesAppended() - before);
    }

    private long samplesAppended() {
        long sum = 0;
        for (TenantHead head : heads.all()) {
            sum += head.samplesAppended();
        }
        return sum;
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        String tenant = tenants.tenant(record.key());
        if (tenant == null) {
            skipped.skip("invalid_key", where(record), tenants.invalidReason(), null);
            return;
        }
        if (record.value() == null) {
            skipped.skip("malformed", where(record), "the record has no value", null);
            return;
        }
        TenantHead head = heads.forTenant(tenant);
        try {
            byte[] value = record.value();
            decoder.decode(value, 0, value.length, head, appender);
        } catch (UndecodableRecordException e) {
            skipped.skip(e.reason().name().toLowerCase(Locale.ROOT), where(record), e.getMessage(), null);
        } catch (RuntimeException e) {
            // A bug, not bad data; still one record must not stop the partition.
            skipped.skip("internal_error", where(record), e.toString(), e);
        }
    }

    private String where(ConsumerRecord<?, ?> record) {
        return partition + "@" + record.offset();
    }

    private void commitPending() {
        PendingCommit commit = pendingCommit.getAndSet(null);
        if (commit == null) {
            return;
        }
        try {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(commit.offset)), REQUEST_TIMEOUT);
            commit.future.complete(null);
        } catch (WakeupException e) {
            pendingCommit.compareAndSet(null, commit); // failed with the others on the way out
            throw e;
        } catch (KafkaException e) {
            log.warn("committing offset {} of {} for group {} failed: {}", commit.offset, partition, config.group(), e.toString());
            commit.future.completeExceptionally(e);
        }
    }

    private void gcIfDue() {
        long now = time.milliseconds();
        if (now >= nextGc) {
            int collected = heads.gc();
            log.debug("gc of the heads collected {} series", collected);
            nextGc = now + config.gcInterval().toMillis();
        }
    }

    private record PendingCommit(long offset, CompletableFuture<Void> future) {
    }
}
