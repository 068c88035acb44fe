package dev.runnel.ring;

import dev.runnel.log.kv.KvStore.Versioned;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ring as distributors and queriers use it: read from the store every poll interval
 * (1 s by default: one small read per process per second, and a state change reaches every
 * writer within about a second) and handed out from memory, so {@link #ring()} never touches
 * the store. A poll that finds the same version decodes nothing.
 *
 * <p>A failed poll keeps the last ring: writers keep writing where they did, which is right
 * until an operator changes the ring, and that change waits for the store anyway. Each failure
 * is counted; the first of a streak is logged at WARN, the rest at DEBUG, the recovery at INFO.
 * {@link #snapshotAge()} says how stale the ring may be.
 */
public final class PartitionRingWatcher implements AutoCloseable {
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(PartitionRingWatcher.class);

    private final PartitionRingStore store;
    private final Duration pollInterval;
    private final Time time;
    private final RingMetrics metrics;
    private final Object lifecycle = new Object();
    private volatile PartitionRingStore.Snapshot current =
            new PartitionRingStore.Snapshot(PartitionRing.empty(), Versioned.ABSENT);
    private volatile long confirmedMs;
    private int failuresInARow; // only the polling thread touches it
    private ScheduledExecutorService polls;

    public PartitionRingWatcher(PartitionRingStore store, Time time) {
        this(store, DEFAULT_POLL_INTERVAL, time);
    }

    public PartitionRingWatcher(PartitionRingStore store, Duration pollInterval, Time time) {
        this(store, pollInterval, time, RingMetrics.DEFAULT);
    }

    PartitionRingWatcher(PartitionRingStore store, Duration pollInterval, Time time, RingMetrics metrics) {
        this.store = Objects.requireNonNull(store, "store");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.toMillis() <= 0) {
            throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
        }
        this.time = Objects.requireNonNull(time, "time");
        this.metrics = metrics;
        this.confirmedMs = time.milliseconds();
    }

    /** Reads the ring once (a failure leaves it empty and is logged), then polls in the background. */
    public void start() {
        synchronized (lifecycle) {
            if (polls != null) {
                throw new IllegalStateException("partition ring watcher is already started");
            }
            poll();
            polls = Schedulers.every(pollInterval, "partition-ring-watcher", this::poll);
        }
    }

    /** The latest ring read; empty until the first successful poll. */
    public PartitionRing ring() {
        return current.ring();
    }

    /**
     * How long ago the store last confirmed {@link #ring()} as current (since the watcher was
     * made, if it never did). Grows past the poll interval only while polls fail.
     */
    public Duration snapshotAge() {
        return Duration.ofMillis(Math.max(0, time.milliseconds() - confirmedMs));
    }

    /** One poll; returns whether it reached the store and decoded what it found. */
    boolean poll() {
        try {
            store.readIfChanged(current.version()).ifPresent(snapshot -> {
                current = snapshot;
                metrics.observed(snapshot.ring());
            });
            confirmedMs = time.milliseconds();
            if (failuresInARow > 0) {
                log.info("partition ring read again after {} failed polls", failuresInARow);
                failuresInARow = 0;
            }
            return true;
        } catch (RuntimeException e) {
            metrics.pollFailed();
            failuresInARow++;
            if (failuresInARow == 1) {
                log.warn("partition ring poll failed, keeping the ring read {} ago: {}", snapshotAge(), e.toString());
            } else {
                log.debug("partition ring poll failed {} times in a row: {}", failuresInARow, e.toString());
            }
            return false;
        }
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (polls != null) {
                Schedulers.stop(polls);
                polls = null;
            }
        }
    }
}
