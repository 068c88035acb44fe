package dev.runnel.ingester.snapshot;

import dev.runnel.ingester.consume.Checkpoint;
import dev.runnel.ingester.consume.PartitionConsumer;
import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.head.TenantState;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots one ingester's heads every interval and on close (SNAPSHOT.md). On the consumer
 * thread, between polls, it captures the heads ({@link Heads#capture()}: chunk references and the
 * open chunks' extents, no sample copied) with the offset they hold every record before; a
 * background thread writes the snapshot, and once it is durable commits that offset under the
 * ingester's group ({@link PartitionConsumer#commitDurable}) and deletes all but the newest
 * {@link #KEEP} snapshots. A failed snapshot is counted and logged and the next interval tries
 * again; consumption never waits for a snapshot, and one is taken at most while none is being
 * written.
 */
public final class Snapshotter implements Checkpoint {
    private static final Logger log = LoggerFactory.getLogger(Snapshotter.class);

    /** Snapshots kept: the newest, and the one before it in case the newest cannot be read. */
    public static final int KEEP = 2;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(60);

    private final SnapshotStore store;
    private final Heads heads;
    private final long intervalMs;
    private final SnapshotMetrics.Partition metrics;
    private final Time time;
    private final ExecutorService writer;
    private LongFunction<CompletableFuture<Void>> commit;
    /** Offset of the newest durable snapshot (taken or loaded), -1 if none. */
    private volatile long durableOffset;
    private volatile boolean abandoned;
    // Consumer thread only.
    private Future<?> writing;
    private long nextAt;

    /**
     * @param loadedOffset the offset of the snapshot the heads were restored from, or -1
     * @param loadedAtMs   when that snapshot was captured
     */
    public Snapshotter(SnapshotStore store, Heads heads, Duration interval, SnapshotMetrics metrics, int partition, Time time,
                       long loadedOffset, long loadedAtMs) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("snapshot interval must be positive: " + interval);
        }
        this.store = store;
        this.heads = heads;
        this.intervalMs = interval.toMillis();
        this.metrics = metrics.partition(partition);
        this.time = time;
        this.durableOffset = loadedOffset;
        this.nextAt = time.milliseconds() + intervalMs;
        if (loadedOffset >= 0) {
            this.metrics.covered(loadedAtMs);
        }
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "snapshot-writer-" + partition);
            t.setDaemon(true);
            return t;
        });
    }

    /** The checkpoint of {@code consumer}, whose group it commits durable offsets under: pass as {@code Snapshotter::attach}. */
    public Checkpoint attach(PartitionConsumer consumer) {
        return committingWith(consumer::commitDurable);
    }

    /** The checkpoint that commits durable offsets with {@code commit}. */
    Checkpoint committingWith(LongFunction<CompletableFuture<Void>> commitDurable) {
        if (commit != null) {
            throw new IllegalStateException("the snapshotter already serves a consumer");
        }
        commit = commitDurable;
        return this;
    }

    /** The offset of the newest durable snapshot, -1 if none. */
    public long durableOffset() {
        return durableOffset;
    }

    @Override
    public void afterPoll(long nextOffset) {
        try {
            long now = time.milliseconds();
            if (abandoned || now < nextAt || (writing != null && !writing.isDone())) {
                return;
            }
            nextAt = now + intervalMs;
            if (nextOffset == durableOffset) {
                metrics.covered(now); // nothing new since the last snapshot
                return;
            }
            long started = time.nanoseconds();
            List<TenantState> state = heads.capture();
            long captureNanos = time.nanoseconds() - started;
            writing = writer.submit(() -> write(state, nextOffset, now, started, captureNanos, true));
        } catch (RuntimeException e) {
            metrics.failed();
            log.warn("capturing a snapshot of {} failed, trying again in {} ms", store.prefix(), intervalMs, e);
        }
    }

    @Override
    public long beforeClose(long nextOffset) {
        try {
            if (abandoned || nextOffset < 0) {
                return -1;
            }
            awaitWriting();
            if (nextOffset == durableOffset) {
                return nextOffset;
            }
            long now = time.milliseconds();
            long started = time.nanoseconds();
            List<TenantState> state = heads.capture();
            return write(state, nextOffset, now, started, time.nanoseconds() - started, false) ? nextOffset : -1;
        } finally {
            writer.shutdown();
            metrics.close();
        }
    }

    /**
     * Stops taking snapshots and drops the one being written, as a crash (kill -9) would: no last
     * snapshot on close, nothing more committed or deleted. For tests of what a restart recovers.
     */
    public void abandon() {
        abandoned = true;
        writer.shutdownNow();
        metrics.close();
    }

    private void awaitWriting() {
        if (writing == null) {
            return;
        }
        try {
            writing.get(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("the snapshot being written when {} closed did not finish: {}", store.prefix(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes a captured snapshot; true once it is durable. On the writer thread, or the consumer's on close. */
    private boolean write(List<TenantState> state, long offset, long createdMs, long startedNanos, long captureNanos, boolean commitAfter) {
        try {
            SnapshotStore.Written written = store.write(state, offset, createdMs);
            if (abandoned) {
                return false;
            }
            durableOffset = offset;
            double seconds = (time.nanoseconds() - startedNanos) / 1e9;
            metrics.taken(createdMs, written.bytes(), seconds);
            log.info("snapshot {}{} taken: offset {}, {} tenants, {} series, {} bytes in {} parts; capture {} ms, total {} ms",
                    store.prefix(), written.name(), offset, written.tenants(), written.series(), written.bytes(), written.parts(),
                    captureNanos / 1_000_000, Math.round(seconds * 1000));
            if (commitAfter && commit != null) {
                commit.apply(offset).whenComplete((ok, error) -> {
                    // IllegalStateException: the consumer is closing, and commits the offset of its last snapshot itself.
                    if (error != null && !(error instanceof IllegalStateException)) {
                        log.warn("committing the offset {} of snapshot {}{} failed: {}", offset, store.prefix(), written.name(),
                                error.toString());
                    }
                });
            }
            deleteOld();
            return true;
        } catch (IOException | RuntimeException e) {
            metrics.failed();
            log.warn("snapshot of {} at offset {} failed, trying again in {} ms: {}", store.prefix(), offset, intervalMs, e.toString());
            return false;
        }
    }

    private void deleteOld() {
        try {
            store.deleteOld(KEEP);
        } catch (IOException e) {
            log.warn("deleting old snapshots under {} failed (tried again after the next snapshot): {}", store.prefix(), e.getMessage());
        }
    }
}
