package dev.runnel.log.produce;

import dev.runnel.log.metadata.AppendResult;
import dev.runnel.log.metadata.BatchAppend;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.ObjectCommit;
import dev.runnel.log.metadata.ProducerBatch;
import dev.runnel.log.objectstore.ObjectStore;
import dev.runnel.log.segment.BatchOffsets;
import dev.runnel.log.segment.Segment;
import dev.runnel.log.segment.SegmentBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 * visible. Objects of consecutive flushes are written concurrently; commits happen in flush
 * order, because an idempotent producer's batches of one partition must be committed in the
 * order it sent them. The committer takes every flush at the head of the queue whose object is
 * written and commits them in one metadata transaction (group commit): under load one durable
 * metadata write serves several flushes, so the commit rate does not cap throughput.
 *
 * <p>A write or commit is retried with backoff until {@code writeTimeout}; after that the batches
 * fail with a retriable error and nothing of them is visible (an object written but never
 * committed is garbage, never data).
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
    private Window current = new Window(0);
    /** Sealed windows not yet handed to the committer, in seal order. */
    private final ArrayDeque<Window> sealed = new ArrayDeque<>();
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

    /** One validated v2 record batch of a produce request, for one partition. */
    public record Batch(TopicPartition partition, ByteBuffer bytes, ProducerBatch producer) {
    }

    /**
     * Queues one validated v2 record batch. The future completes once the flush holding it is
     * committed (or has failed), never exceptionally.
     */
    public CompletableFuture<AppendResult> append(TopicPartition partition, ByteBuffer batch, ProducerBatch producer) {
        return append(List.of(new Batch(partition, batch, producer))).get(0);
    }

    /**
     * Queues the batches of one produce request into the same flush window, so the request is
     * answered by one commit. (Sealing a full window between two batches of a request made the
     * request wait for the next window too: at high throughput, half of all requests.) A window
     * may therefore pass {@code batchMaxBytes} by up to one request.
     *
     * @return one future per batch, in order; each completes once its flush is committed (or
     *         has failed), never exceptionally
     */
    public List<CompletableFuture<AppendResult>> append(List<Batch> batches) {
        List<PendingAppend> appends = new ArrayList<>(batches.size());
        List<CompletableFuture<AppendResult>> results = new ArrayList<>(batches.size());
        for (Batch batch : batches) {
            PendingAppend append = new PendingAppend(batch.partition(), BatchOffsets.offsetCount(batch.bytes(), batch.bytes().position()),
                    BatchOffsets.maxTimestamp(batch.bytes(), batch.bytes().position()), batch.producer(), new CompletableFuture<>());
            appends.add(append);
            results.add(append.result);
        }
        Window full = null;
        synchronized (lock) {
            if (closed) {
                appends.forEach(append -> append.result.complete(AppendResult.rejected(Errors.NOT_LEADER_OR_FOLLOWER)));
                return results;
            }
            Window window = current;
            if (window.appends.isEmpty() && !appends.isEmpty()) {
                window.openedNanos = time.nanoseconds();
                long id = window.id;
                window.timer = scheduler.schedule(() -> sealOnTimeout(id), config.batchTimeout().toNanos(), TimeUnit.NANOSECONDS);
            }
            for (int i = 0; i < appends.size(); i++) {
                PendingAppend append = appends.get(i);
                append.handle = window.builder.add(append.partition, batches.get(i).bytes());
                window.appends.add(append);
            }
            if (window.builder.dataBytes() >= config.batchMaxBytes()) {
                full = sealLocked("size");
            }
        }
        if (full != null) {
            write(full);
        }
        return results;
    }

    private void sealOnTimeout(long windowId) {
        Window window;
        synchronized (lock) {
            if (current.id != windowId || current.appends.isEmpty()) {
                return;
            }
            window = sealLocked("time");
        }
        write(window);
    }

    private Window sealLocked(String reason) {
        Window window = current;
        current = new Window(window.id + 1);
        if (window.timer != null) {
            window.timer.cancel(false);
        }
        sealed.addLast(window);
        metrics.flush(reason);
        return window;
    }

    /** Builds and writes the window's object, then lets the committer look at the queue. */
    private void write(Window window) {
        window.deadlineNanos = time.nanoseconds() + config.writeTimeout().toNanos();
        window.segment = window.builder.build(time.milliseconds());
        window.key = keys.next();
        Retry.withBackoff(() -> objects.put(window.key, window.segment.bytes()), scheduler, time, window.deadlineNanos,
                "write of " + window.key).whenComplete((ok, error) -> {
                    window.writeError = error;
                    window.written = true;
                    committer.execute(this::commitWritten);
                });
    }

    /** On the committer thread: commits every written window at the head of the queue, together. */
    private void commitWritten() {
        List<Window> ready = new ArrayList<>();
        synchronized (lock) {
            while (!sealed.isEmpty() && sealed.peekFirst().written) {
                ready.add(sealed.pollFirst());
            }
        }
        List<Window> toCommit = new ArrayList<>(ready.size());
        for (Window window : ready) {
            if (window.writeError == null && time.nanoseconds() > window.deadlineNanos) {
                // Its producers have been told nothing yet, but an object this late may already be
                // taken for an orphan by the garbage collector: never commit it.
                log.warn("giving up on flush of {} batches: its object write outlasted the write timeout", window.appends.size());
                window.fail(Errors.KAFKA_STORAGE_ERROR);
            } else if (window.writeError == null) {
                toCommit.add(window);
            } else {
                log.warn("giving up on flush of {} batches: object write failed: {}", window.appends.size(), window.writeError.toString());
                window.fail(Errors.KAFKA_STORAGE_ERROR);
            }
        }
        if (toCommit.isEmpty()) {
            return;
        }
        List<ObjectCommit> commits = new ArrayList<>(toCommit.size());
        long deadline = Long.MAX_VALUE;
        for (Window window : toCommit) {
            commits.add(new ObjectCommit(window.key, window.batchAppends()));
            deadline = Math.min(deadline, window.deadlineNanos);
        }
        List<List<AppendResult>> results;
        try {
            results = Retry.blocking(() -> metadata.commit(commits), time, deadline, "commit of " + commits.get(0).objectKey());
        } catch (RuntimeException e) {
            log.warn("giving up on {} flushes: metadata commit failed: {}", toCommit.size(), e.toString());
            toCommit.forEach(window -> window.fail(Errors.KAFKA_STORAGE_ERROR));
            return;
        }
        metrics.committed(toCommit.size());
        for (int i = 0; i < toCommit.size(); i++) {
            complete(toCommit.get(i), results.get(i));
        }
    }

    /** Announces the committed flush (readers cache it and wake up), then acknowledges its batches. */
    private void complete(Window window, List<AppendResult> results) {
        Set<TopicPartition> advanced = new LinkedHashSet<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).isAppended()) {
                advanced.add(window.appends.get(i).partition);
            }
        }
        onCommitted.accept(new CommittedFlush(window.key, window.segment.bytes(), advanced));
        for (int i = 0; i < results.size(); i++) {
            window.appends.get(i).result.complete(results.get(i));
        }
        metrics.flushed(window.segment.bytes().remaining(), window.appends.size(), time.nanoseconds() - window.openedNanos);
        window.done.complete(null);
    }

    /** Flushes what is buffered and waits until every flush is committed or has failed. */
    @Override
    public void close() {
        Window last = null;
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        synchronized (lock) {
            closed = true;
            if (!current.appends.isEmpty()) {
                last = sealLocked("shutdown");
            }
            sealed.forEach(window -> pending.add(window.done));
        }
        if (last != null) {
            write(last);
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        // A commit the committer is running right now finishes before this no-op runs.
        CompletableFuture.runAsync(() -> { }, committer).join();
    }

    /** The batches of one flush window, and then its object. */
    private static final class Window {
        final long id;
        final SegmentBuilder builder = new SegmentBuilder();
        final List<PendingAppend> appends = new ArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        long openedNanos;
        ScheduledFuture<?> timer;
        long deadlineNanos;
        Segment segment;
        String key;
        volatile boolean written;
        volatile Throwable writeError;

        Window(long id) {
            this.id = id;
        }

        List<BatchAppend> batchAppends() {
            List<BatchAppend> batches = new ArrayList<>(appends.size());
            for (PendingAppend append : appends) {
                int position = segment.batchPositions()[append.handle];
                batches.add(new BatchAppend(append.partition, position, BatchOffsets.batchSize(segment.bytes(), position),
                        append.offsetCount, append.maxTimestamp, append.producer));
            }
            return batches;
        }

        void fail(Errors error) {
            for (PendingAppend append : appends) {
                append.result.complete(AppendResult.rejected(error));
            }
            done.complete(null);
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
