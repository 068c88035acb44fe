package dev.runnel.log.produce;

import dev.runnel.log.metadata.AppendResult;
import dev.runnel.log.metadata.BatchAppend;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.ProducerBatch;
import dev.runnel.log.objectstore.ObjectStore;
import dev.runnel.log.segment.BatchOffsets;
import dev.runnel.log.segment.Segment;
import dev.runnel.log.segment.SegmentBuilder;
import dev.runnel.log.segment.SegmentChunk;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the record batches of every connection and partition and turns them into one segment
 * object per flush window, WarpStream style: a flush happens {@code batchTimeout} after the
 * first batch of a window arrived or as soon as the window holds {@code batchMaxBytes}.
 *
 * <p>A flush writes its object, then commits it to the metadata store, and only then completes
 * the futures of its batches, so a producer is acknowledged only for data that is durable and
 * visible. Objects of consecutive flushes are written concurrently, but commits happen one at a
 * time in flush order: an idempotent producer's batches of one partition must be committed in
 * the order it sent them. A write or commit is retried with backoff until {@code writeTimeout};
 * after that every batch of the flush fails with a retriable error and nothing of it is visible
 * (an object written but never committed is garbage, never data).
 */
public final class ProduceBuffer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProduceBuffer.class);

    private final ProduceConfig config;
    private final ObjectStore objects;
    private final MetadataStore metadata;
    private final ScheduledExecutorService scheduler;
    private final Executor committer;
    private final Time time;
    private final SegmentKeys keys;
    private final Consumer<CommittedFlush> onCommitted;
    private final ProduceMetrics metrics;

    private final Object lock = new Object();
    private Window current = new Window();
    private CompletableFuture<Void> commitTail = CompletableFuture.completedFuture(null);
    private boolean closed;

    public ProduceBuffer(ProduceConfig config, ObjectStore objects, MetadataStore metadata,
                         ScheduledExecutorService scheduler, Executor committer, Time time, SegmentKeys keys,
                         Consumer<CommittedFlush> onCommitted) {
        this.config = config;
        this.objects = objects;
        this.metadata = metadata;
        this.scheduler = scheduler;
        this.committer = committer;
        this.time = time;
        this.keys = keys;
        this.onCommitted = onCommitted;
        this.metrics = ProduceMetrics.INSTANCE;
    }

    /**
     * Queues one validated v2 record batch. The future completes once the flush holding it is
     * committed (or has failed), never exceptionally.
     */
    public CompletableFuture<AppendResult> append(TopicPartition partition, ByteBuffer batch, ProducerBatch producer) {
        PendingAppend append = new PendingAppend(partition, BatchOffsets.offsetCount(batch, batch.position()),
                BatchOffsets.maxTimestamp(batch, batch.position()), producer, new CompletableFuture<>());
        Window sealed = null;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.completedFuture(AppendResult.rejected(Errors.NOT_LEADER_OR_FOLLOWER));
            }
            Window window = current;
            append.handle = window.builder.add(partition, batch);
            window.appends.add(append);
            if (window.appends.size() == 1) {
                window.openedNanos = time.nanoseconds();
                long id = window.id;
                window.timer = scheduler.schedule(() -> sealOnTimeout(id), config.batchTimeout().toNanos(), TimeUnit.NANOSECONDS);
            }
            if (window.builder.dataBytes() >= config.batchMaxBytes()) {
                sealed = sealLocked("size");
            }
        }
        if (sealed != null) {
            flush(sealed);
        }
        return append.result;
    }

    private void sealOnTimeout(long windowId) {
        Window sealed;
        synchronized (lock) {
            if (current.id != windowId || current.appends.isEmpty()) {
                return;
            }
            sealed = sealLocked("time");
        }
        flush(sealed);
    }

    private Window sealLocked(String reason) {
        Window sealed = current;
        current = new Window(sealed.id + 1);
        if (sealed.timer != null) {
            sealed.timer.cancel(false);
        }
        metrics.flush(reason);
        return sealed;
    }

    private void flush(Window window) {
        long deadlineNanos = time.nanoseconds() + config.writeTimeout().toNanos();
        Segment segment = window.builder.build(time.milliseconds());
        String key = keys.next();
        int objectBytes = segment.bytes().remaining();
        CompletableFuture<Throwable> written = Retry.withBackoff(() -> objects.put(key, segment.bytes()),
                scheduler, time, deadlineNanos, "write of " + key).handle((ok, error) -> error);
        CompletableFuture<Void> previous;
        CompletableFuture<Void> committed;
        synchronized (lock) {
            previous = commitTail;
            committed = previous.thenCombine(written, (ignored, writeError) -> writeError)
                    .thenAcceptAsync(writeError -> commit(window, segment, key, writeError, deadlineNanos), committer);
            commitTail = committed;
        }
        committed.whenComplete((ok, error) -> {
            metrics.flushed(objectBytes, window.appends.size(), time.nanoseconds() - window.openedNanos);
            if (error != null) {
                // commit() completes every future itself; this is a bug guard, not a path.
                log.error("flush of {} failed unexpectedly", key, error);
                window.fail(Errors.UNKNOWN_SERVER_ERROR);
            }
        });
    }

    private void commit(Window window, Segment segment, String key, Throwable writeError, long deadlineNanos) {
        if (writeError != null) {
            log.warn("giving up on flush of {} batches: object write failed: {}", window.appends.size(), writeError.toString());
            window.fail(Errors.KAFKA_STORAGE_ERROR);
            return;
        }
        List<BatchAppend> batches = new ArrayList<>(window.appends.size());
        for (PendingAppend append : window.appends) {
            batches.add(new BatchAppend(append.partition, segment.batchPositions()[append.handle],
                    batchSize(segment, append), append.offsetCount, append.maxTimestamp, append.producer));
        }
        List<AppendResult> results;
        try {
            results = Retry.blocking(() -> metadata.commit(key, batches), time, deadlineNanos, "commit of " + key);
        } catch (RuntimeException e) {
            log.warn("giving up on flush of {} batches: metadata commit of {} failed: {}", window.appends.size(), key, e.toString());
            window.fail(Errors.KAFKA_STORAGE_ERROR);
            return;
        }
        Set<TopicPartition> advanced = new LinkedHashSet<>();
        for (int i = 0; i < results.size(); i++) {
            PendingAppend append = window.appends.get(i);
            if (results.get(i).isAppended()) {
                advanced.add(append.partition);
            }
            append.result.complete(results.get(i));
        }
        onCommitted.accept(new CommittedFlush(key, segment.bytes(), wholeChunks(window, segment, results), advanced));
    }

    /**
     * The chunks whose batches were all appended: the metadata store indexes each of them as one
     * entry starting at its first batch's offset. A chunk with a rejected batch or a retried
     * duplicate is left out.
     */
    private static List<CommittedFlush.Chunk> wholeChunks(Window window, Segment segment, List<AppendResult> results) {
        Map<TopicPartition, Long> firstOffset = new HashMap<>();
        Set<TopicPartition> partial = new HashSet<>();
        for (int i = 0; i < results.size(); i++) {
            TopicPartition partition = window.appends.get(i).partition;
            if (results.get(i).isAppended()) {
                firstOffset.putIfAbsent(partition, results.get(i).baseOffset());
            } else {
                partial.add(partition);
            }
        }
        List<CommittedFlush.Chunk> chunks = new ArrayList<>();
        for (SegmentChunk chunk : segment.chunks()) {
            if (!partial.contains(chunk.partition())) {
                chunks.add(new CommittedFlush.Chunk(chunk.partition(), chunk.position(), chunk.size(), firstOffset.get(chunk.partition())));
            }
        }
        return chunks;
    }

    private static int batchSize(Segment segment, PendingAppend append) {
        return BatchOffsets.batchSize(segment.bytes(), segment.batchPositions()[append.handle]);
    }

    /** Flushes what is buffered and waits for every commit to finish. */
    @Override
    public void close() {
        Window sealed = null;
        CompletableFuture<Void> tail;
        synchronized (lock) {
            closed = true;
            if (!current.appends.isEmpty()) {
                sealed = sealLocked("shutdown");
            }
        }
        if (sealed != null) {
            flush(sealed);
        }
        synchronized (lock) {
            tail = commitTail;
        }
        tail.join();
    }

    /** The batches of one flush window. */
    private static final class Window {
        final long id;
        final SegmentBuilder builder = new SegmentBuilder();
        final List<PendingAppend> appends = new ArrayList<>();
        long openedNanos;
        ScheduledFuture<?> timer;

        Window() {
            this(0);
        }

        Window(long id) {
            this.id = id;
        }

        void fail(Errors error) {
            for (PendingAppend append : appends) {
                append.result.complete(AppendResult.rejected(error));
            }
        }
    }

    private static final class PendingAppend {
        final TopicPartition partition;
        final int offsetCount;
        final long maxTimestamp;
        final ProducerBatch producer;
        final CompletableFuture<AppendResult> result;
        int handle;

        PendingAppend(TopicPartition partition, int offsetCount, long maxTimestamp, ProducerBatch producer,
                      CompletableFuture<AppendResult> result) {
            this.partition = partition;
            this.offsetCount = offsetCount;
            this.maxTimestamp = maxTimestamp;
            this.producer = producer;
            this.result = result;
        }
    }
}
