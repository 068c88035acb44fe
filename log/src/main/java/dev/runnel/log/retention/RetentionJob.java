package dev.runnel.log.retention;

import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.RetentionResult;
import dev.runnel.log.metadata.Topic;
import dev.runnel.log.objectstore.ObjectNotFoundException;
import dev.runnel.log.objectstore.ObjectStore;
import dev.runnel.log.produce.SegmentKeys;
import dev.runnel.log.segment.CorruptSegmentException;
import dev.runnel.log.segment.SegmentReader;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the topics' retention to the index and deletes the objects nothing references any
 * more. Each run (every {@link RetentionConfig#interval()}):
 * <ol>
 *   <li>applies {@code retention.ms} and {@code retention.bytes} to every partition of every
 *       topic ({@link MetadataStore#applyRetention}), which turns objects that lost their last
 *       reference into dead objects;</li>
 *   <li>deletes from object storage the dead objects whose grace period has passed, then
 *       forgets them;</li>
 *   <li>at most every {@link RetentionConfig#orphanScanInterval()}, lists the recent days of
 *       segment keys and deletes objects the store does not know that are older than
 *       {@link RetentionConfig#orphanAge()}: objects written by flushes whose commit failed.</li>
 * </ol>
 * Several agents may run the job on one store at the same time: every index change is one
 * transaction, and deleting an object twice is harmless. See {@code log/RETENTION.md}.
 *
 * <p>A failed step (a partition, an object, a listing) is counted, logged once per run with the
 * first failure, and retried by the next run.
 */
public final class RetentionJob implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    /** Kafka's defaults, as the agent describes them for a topic that does not set them. */
    static final long DEFAULT_RETENTION_MS = 604_800_000L;
    static final long DEFAULT_RETENTION_BYTES = -1L;
    static final String RETENTION_MS = "retention.ms";
    static final String RETENTION_BYTES = "retention.bytes";

    /** Index entries one transaction deletes at most, so a large backlog does not hold the write lock long. */
    static final int ENTRIES_PER_TRANSACTION = 5_000;
    static final int DEAD_OBJECTS_PER_PAGE = 1_000;
    static final int KEYS_PER_LOOKUP = 500;
    static final int CONCURRENT_DELETES = 64;
    static final long OBJECT_STORE_TIMEOUT_SECONDS = 60;

    private final MetadataStore metadata;
    private final ObjectStore objects;
    private final Time time;
    private final RetentionConfig config;
    private final RetentionMetrics metrics = RetentionMetrics.INSTANCE;

    private final ReentrantLock running = new ReentrantLock();
    private volatile boolean closed;
    private ScheduledFuture<?> scheduled; // guarded by this
    private long lastOrphanScanMs;        // guarded by running
    private boolean orphansScanned;       // guarded by running

    public RetentionJob(MetadataStore metadata, ObjectStore objects, Time time, RetentionConfig config) {
        this.metadata = metadata;
        this.objects = objects;
        this.time = time;
        this.config = config;
    }

    /**
     * Runs the job every {@link RetentionConfig#interval()} on {@code executor}, the first time
     * after a random part of the interval (so that agents started together do not run together).
     * The executor stays the caller's: {@link #close()} cancels the job but does not shut it down.
     */
    public synchronized void start(ScheduledExecutorService executor) {
        if (closed) {
            throw new IllegalStateException("the retention job is closed");
        }
        if (scheduled != null) {
            throw new IllegalStateException("the retention job is already started");
        }
        long interval = config.interval().toNanos();
        scheduled = executor.scheduleWithFixedDelay(this::runScheduled, ThreadLocalRandom.current().nextLong(interval),
                interval, TimeUnit.NANOSECONDS);
    }

    private void runScheduled() {
        try {
            runOnce();
        } catch (Throwable t) {
            // Never let it escape: the executor would silently stop scheduling the job.
            log.error("Retention run failed unexpectedly", t);
        }
    }

    /** Runs the job once, now, and returns what it did. Runs do not overlap: a second caller waits. */
    public RetentionRun runOnce() {
        running.lock();
        try {
            Run run = new Run();
            if (stopping()) {
                return run.summary();
            }
            long started = time.nanoseconds();
            step(run, "apply retention", () -> applyRetention(run));
            step(run, "collect dead objects", () -> collectDeadObjects(run));
            step(run, "collect orphaned objects", () -> collectOrphans(run));
            RetentionRun summary = run.summary();
            metrics.runs.labelValues(summary.failures() == 0 ? "success" : "failure").inc();
            if (summary.deletedAnything()) {
                log.info("Retention deleted {} index entries ({} bytes) of {} partitions, {} dead objects and {} orphaned "
                                + "objects in {} ms", summary.deletedEntries(), summary.deletedBytes(),
                        summary.trimmedPartitions(), summary.deletedDeadObjects(), summary.deletedOrphans(),
                        TimeUnit.NANOSECONDS.toMillis(time.nanoseconds() - started));
            }
            if (summary.failures() > 0) {
                log.warn("Retention run had {} failures, to be retried by the next run; the first: failed to {}",
                        summary.failures(), run.firstFailure, run.firstFailureCause);
            }
            return summary;
        } finally {
            running.unlock();
        }
    }

    /** Stops the job: no new run starts, and a run in progress stops at its next step; waits for it. */
    @Override
    public void close() {
        ScheduledFuture<?> future;
        synchronized (this) {
            closed = true;
            future = scheduled;
        }
        if (future != null) {
            future.cancel(false);
        }
        running.lock();
        running.unlock();
    }

    private boolean stopping() {
        return closed || Thread.currentThread().isInterrupted();
    }

    private static void step(Run run, String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            run.failed(what, e);
        }
    }

    // ---- retention

    private void applyRetention(Run run) {
        long now = time.milliseconds();
        for (Topic topic : metadata.topics()) {
            long retentionMs = longConfig(topic, RETENTION_MS, DEFAULT_RETENTION_MS);
            long retentionBytes = longConfig(topic, RETENTION_BYTES, DEFAULT_RETENTION_BYTES);
            if (retentionMs < 0 && retentionBytes < 0) {
                continue; // kept forever
            }
            long deleteBefore = retentionMs < 0 ? Long.MIN_VALUE : now - retentionMs;
            for (int p = 0; p < topic.partitionCount(); p++) {
                if (stopping()) {
                    return;
                }
                TopicPartition partition = new TopicPartition(topic.name(), p);
                try {
                    RetentionResult result;
                    boolean trimmed = false;
                    do {
                        result = metadata.applyRetention(partition, deleteBefore, retentionBytes,
                                ENTRIES_PER_TRANSACTION);
                        run.deletedEntries += result.deletedEntries();
                        run.deletedBytes += result.deletedBytes();
                        metrics.deletedEntries.inc(result.deletedEntries());
                        trimmed |= result.deletedEntries() > 0;
                    } while (result.more() && !stopping());
                    if (trimmed) {
                        run.trimmedPartitions++;
                        log.debug("Retention moved the log start of {} to {}", partition, result.logStartOffset());
                    }
                } catch (RuntimeException e) {
                    run.failed("apply retention to " + partition, e);
                }
            }
        }
    }

    /** A whole-number topic config; a value that is not one (topic creation refuses those) keeps data. */
    private static long longConfig(Topic topic, String name, long defaultValue) {
        String value = topic.configs().get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            log.warn("Topic {} has {}={}, not a whole number: keeping its data", topic.name(), name, value);
            return -1L;
        }
    }

    // ---- dead objects

    private void collectDeadObjects(Run run) {
        long deadBefore = time.milliseconds() - config.gracePeriod().toMillis();
        while (!stopping()) {
            List<String> dead = metadata.deadObjects(deadBefore, DEAD_OBJECTS_PER_PAGE);
            List<String> deleted = delete(dead, run);
            // Forgotten only once deleted: a failed deletion is retried by the next run.
            metadata.forgetDeadObjects(deleted);
            run.deletedDeadObjects += deleted.size();
            metrics.deletedObjects.labelValues("dead").inc(deleted.size());
            if (dead.size() < DEAD_OBJECTS_PER_PAGE || deleted.size() < dead.size()) {
                return;
            }
        }
    }

    // ---- orphans

    private void collectOrphans(Run run) {
        long now = time.milliseconds();
        if (config.orphanLookback().isZero()
                || (orphansScanned && now - lastOrphanScanMs < config.orphanScanInterval().toMillis())) {
            return;
        }
        orphansScanned = true;
        lastOrphanScanMs = now;
        long cutoff = now - config.orphanAge().toMillis();
        LocalDate oldest = utcDay(now - config.orphanLookback().toMillis());
        // The newest day that started at or before the cutoff: later days hold no object old enough.
        for (LocalDate day = utcDay(cutoff); !day.isBefore(oldest) && !stopping(); day = day.minusDays(1)) {
            String prefix = SegmentKeys.dayPrefix(day);
            try {
                collectOrphans(prefix, startOfDay(day.plusDays(1)) <= cutoff, cutoff, run);
            } catch (RuntimeException e) {
                run.failed("collect orphaned objects under " + prefix, e);
            }
        }
    }

    /**
     * Deletes the objects under {@code prefix} that the store does not know (neither referenced nor
     * dead) and that were written at or before {@code cutoff}: all of them if the day ended by then
     * ({@code wholeDayOld}), else those whose header says so.
     */
    private void collectOrphans(String prefix, boolean wholeDayOld, long cutoff, Run run) {
        List<String> keys = await(objects.list(prefix));
        for (int from = 0; from < keys.size() && !stopping(); from += KEYS_PER_LOOKUP) {
            Set<String> untracked = metadata.untrackedObjects(keys.subList(from, Math.min(keys.size(), from + KEYS_PER_LOOKUP)));
            List<String> orphans = new ArrayList<>();
            for (String key : untracked) {
                if (wholeDayOld || writtenAtOrBefore(key, cutoff, run)) {
                    orphans.add(key);
                }
            }
            List<String> deleted = delete(orphans, run);
            if (!deleted.isEmpty()) {
                log.debug("Deleted {} orphaned objects under {}: {}", deleted.size(), prefix, deleted);
            }
            run.deletedOrphans += deleted.size();
            metrics.deletedObjects.labelValues("orphan").inc(deleted.size());
        }
    }

    /**
     * Whether the segment object was created at or before {@code cutoff}, by the {@code created_ms}
     * of its header (set before the object was written). An object that is not a segment is left
     * to the whole-day rule.
     */
    private boolean writtenAtOrBefore(String key, long cutoff, Run run) {
        try {
            ByteBuffer header = await(objects.get(key, 0, SegmentReader.HEADER_SIZE));
            return SegmentReader.createdMillis(header) <= cutoff;
        } catch (CorruptSegmentException e) {
            return false;
        } catch (RuntimeException e) {
            if (!(e.getCause() instanceof ObjectNotFoundException)) {
                run.failed("read the header of " + key, e);
            }
            return false;
        }
    }

    private static LocalDate utcDay(long millis) {
        return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static long startOfDay(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    // ---- object storage

    /** Deletes the objects, a few at a time concurrently, and returns those deleted. */
    private List<String> delete(List<String> keys, Run run) {
        List<String> deleted = new ArrayList<>(keys.size());
        for (int from = 0; from < keys.size() && !stopping(); from += CONCURRENT_DELETES) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + CONCURRENT_DELETES));
            List<CompletableFuture<Void>> deletions = new ArrayList<>(chunk.size());
            for (String key : chunk) {
                deletions.add(objects.delete(key));
            }
            for (int i = 0; i < chunk.size(); i++) {
                try {
                    await(deletions.get(i));
                    deleted.add(chunk.get(i));
                } catch (RuntimeException e) {
                    run.failed("delete object " + chunk.get(i), e);
                }
            }
        }
        return deleted;
    }

    /** The future's value; its failure (cause kept), a timeout or an interrupt as an unchecked exception. */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(OBJECT_STORE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ObjectStoreCallFailed(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new ObjectStoreCallFailed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreCallFailed(e);
        }
    }

    private static final class ObjectStoreCallFailed extends RuntimeException {
        ObjectStoreCallFailed(Throwable cause) {
            super(cause.toString(), cause);
        }
    }

    /** The counts of one run, by the thread that runs it. */
    private static final class Run {
        long deletedEntries;
        long deletedBytes;
        int trimmedPartitions;
        int deletedDeadObjects;
        int deletedOrphans;
        int failures;
        String firstFailure;
        Throwable firstFailureCause;

        void failed(String what, Throwable cause) {
            if (failures++ == 0) {
                firstFailure = what;
                firstFailureCause = cause;
            }
        }

        RetentionRun summary() {
            return new RetentionRun(deletedEntries, deletedBytes, trimmedPartitions, deletedDeadObjects, deletedOrphans,
                    failures);
        }
    }
}
