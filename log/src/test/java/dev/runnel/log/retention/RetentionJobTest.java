package dev.runnel.log.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.log.metadata.AppendResult;
import dev.runnel.log.metadata.BatchAppend;
import dev.runnel.log.metadata.ManualTime;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.PartitionOffsets;
import dev.runnel.log.metadata.ProducerBatch;
import dev.runnel.log.metadata.SqliteMetadataStore;
import dev.runnel.log.objectstore.FileSystemObjectStore;
import dev.runnel.log.objectstore.ObjectStore;
import dev.runnel.log.produce.SegmentKeys;
import dev.runnel.log.segment.Segment;
import dev.runnel.log.segment.SegmentBuilder;
import dev.runnel.log.segment.SegmentChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionJobTest {

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);
    private static final TopicPartition KEEP0 = new TopicPartition("keep", 0);
    private static final TopicPartition DFLT0 = new TopicPartition("dflt", 0);

    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime();
    private final SegmentKeys keys = new SegmentKeys(time, () -> 1);
    private final Map<String, Segment> written = new HashMap<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private MetadataStore store;
    private FailingDeletes objects;

    @BeforeEach
    void open() {
        store = openStore();
        objects = new FailingDeletes(new FileSystemObjectStore(dir.resolve("objects")));
        toClose.add(objects);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private MetadataStore openStore() {
        MetadataStore s = SqliteMetadataStore.open(dir.resolve("metadata.db"), time);
        toClose.add(s);
        return s;
    }

    private RetentionJob job(RetentionConfig config) {
        return job(store, config);
    }

    private RetentionJob job(MetadataStore metadata, RetentionConfig config) {
        RetentionJob job = new RetentionJob(metadata, objects, time, config);
        toClose.add(job);
        return job;
    }

    // ---- helpers

    private static ByteBuffer batch(long timestamp) {
        return MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(timestamp, null, "v".getBytes(StandardCharsets.UTF_8))).buffer();
    }

    /** Writes a segment object holding one single-record batch with {@code timestamp} per partition; does not commit it. */
    private String write(long timestamp, TopicPartition... partitions) {
        return write(keys.next(), timestamp, partitions);
    }

    private String write(String key, long timestamp, TopicPartition... partitions) {
        SegmentBuilder builder = new SegmentBuilder();
        for (TopicPartition partition : partitions) {
            builder.add(partition, batch(timestamp));
        }
        Segment segment = builder.build(time.milliseconds());
        objects.put(key, segment.bytes()).join();
        written.put(key, segment);
        return key;
    }

    /** Commits every batch of an object written by {@link #write}. */
    private String commit(String key) {
        List<BatchAppend> batches = new ArrayList<>();
        for (SegmentChunk chunk : written.get(key).chunks()) {
            batches.add(new BatchAppend(chunk.partition(), chunk.position(), chunk.size(), (int) chunk.offsetCount(),
                    chunk.maxTimestamp(), ProducerBatch.NONE));
        }
        assertThat(store.commit(key, batches)).allMatch(AppendResult::isAppended);
        return key;
    }

    private List<String> stored() {
        List<String> all = new ArrayList<>(objects.list("").join());
        return all;
    }

    private void putJunk(String key) {
        objects.put(key, ByteBuffer.wrap("not a segment object".getBytes(StandardCharsets.UTF_8))).join();
    }

    /** Moves the clock to {@code instant} (it only moves forward). */
    private void advanceTo(String instant) {
        long target = Instant.parse(instant).toEpochMilli();
        assertThat(target).isGreaterThanOrEqualTo(time.milliseconds());
        time.advance(target - time.milliseconds());
    }

    // ---- retention and dead objects

    @Test
    void deletesExpiredEntriesThenTheirObjectsAfterTheGracePeriod() {
        store.createTopic("t", 2, Map.of("retention.ms", "3600000"));
        store.createTopic("keep", 1, Map.of("retention.ms", "-1"));
        store.createTopic("dflt", 1, Map.of());
        RetentionJob job = job(RetentionConfig.DEFAULT);
        long t0 = time.milliseconds();
        String o1 = commit(write(t0, T0, T1));
        String o2 = commit(write(t0, T1, KEEP0));
        String o4 = commit(write(t0, DFLT0));
        time.advance(30 * MINUTE);
        String o3 = commit(write(time.milliseconds(), T0));
        double entriesBefore = RetentionMetrics.INSTANCE.deletedEntries.get();
        double deadBefore = RetentionMetrics.INSTANCE.deletedObjects.labelValues("dead").get();
        double successesBefore = RetentionMetrics.INSTANCE.runs.labelValues("success").get();

        time.advance(31 * MINUTE); // o1 and o2 are past t's retention of an hour, o3 is not
        RetentionRun first = job.runOnce();

        assertThat(first).isEqualTo(new RetentionRun(3, first.deletedBytes(), 2, 0, 0, 0));
        assertThat(first.deletedBytes()).isGreaterThan(0);
        assertThat(store.offsets(T0)).contains(new PartitionOffsets(1, 2));
        assertThat(store.entries(T0, 0, 10)).extracting(e -> e.objectKey()).containsExactly(o3);
        assertThat(store.offsets(T1)).contains(new PartitionOffsets(2, 2));
        assertThat(store.offsets(KEEP0)).contains(new PartitionOffsets(0, 1));
        assertThat(store.offsets(DFLT0)).contains(new PartitionOffsets(0, 1));
        // o1 lost its last reference; o2 is still referenced by keep-0. Nothing is deleted yet.
        assertThat(store.deadObjects(Long.MAX_VALUE, 10)).containsExactly(o1);
        assertThat(stored()).containsExactlyInAnyOrder(o1, o2, o3, o4);

        time.advance(4 * MINUTE);
        assertThat(job.runOnce()).isEqualTo(new RetentionRun(0, 0, 0, 0, 0, 0));
        assertThat(stored()).contains(o1);

        time.advance(2 * MINUTE); // o1 dead for 6 minutes: past the 5-minute grace period
        assertThat(job.runOnce()).isEqualTo(new RetentionRun(0, 0, 0, 1, 0, 0));
        assertThat(stored()).containsExactlyInAnyOrder(o2, o3, o4);
        assertThat(store.deadObjects(Long.MAX_VALUE, 10)).isEmpty();

        // A week later o3 expires too, and so does o4 under the default retention.ms of 7 days;
        // keep-0 (retention.ms=-1) keeps o2 forever. The orphan scan of this run must not take
        // the newly dead objects, whose grace period has only started.
        time.advance(7 * DAY);
        RetentionRun weekLater = job.runOnce();
        assertThat(weekLater.deletedEntries()).isEqualTo(2);
        assertThat(weekLater.deletedDeadObjects() + weekLater.deletedOrphans()).isZero();
        assertThat(store.offsets(T0)).contains(new PartitionOffsets(2, 2));
        assertThat(store.offsets(DFLT0)).contains(new PartitionOffsets(1, 1));
        assertThat(stored()).containsExactlyInAnyOrder(o2, o3, o4);

        time.advance(5 * MINUTE);
        assertThat(job.runOnce().deletedDeadObjects()).isEqualTo(2);
        assertThat(stored()).containsExactly(o2);
        assertThat(store.offsets(KEEP0)).contains(new PartitionOffsets(0, 1));

        assertThat(RetentionMetrics.INSTANCE.deletedEntries.get() - entriesBefore).isEqualTo(5);
        assertThat(RetentionMetrics.INSTANCE.deletedObjects.labelValues("dead").get() - deadBefore).isEqualTo(3);
        assertThat(RetentionMetrics.INSTANCE.runs.labelValues("success").get() - successesBefore).isEqualTo(5);
    }

    @Test
    void appliesRetentionBytes() {
        store.createTopic("t", 1, Map.of("retention.ms", "-1", "retention.bytes", "1"));
        String o1 = commit(write(time.milliseconds(), T0));
        String o2 = commit(write(time.milliseconds(), T0));
        String o3 = commit(write(time.milliseconds(), T0));

        // Each entry is larger than 1 byte: all but the last go (Kafka keeps at least retention.bytes).
        RetentionRun run = job(RetentionConfig.DEFAULT.withGracePeriod(Duration.ZERO)).runOnce();

        assertThat(run.deletedEntries()).isEqualTo(2);
        assertThat(run.deletedDeadObjects()).isEqualTo(2);
        assertThat(store.offsets(T0)).contains(new PartitionOffsets(2, 3));
        assertThat(stored()).containsExactly(o3).doesNotContain(o1, o2);
    }

    @Test
    void aFailedObjectDeletionIsRetriedByTheNextRun() {
        store.createTopic("t", 1, Map.of("retention.ms", "0"));
        String o1 = commit(write(time.milliseconds() - 1, T0));
        RetentionJob job = job(RetentionConfig.DEFAULT.withGracePeriod(Duration.ZERO));
        double failuresBefore = RetentionMetrics.INSTANCE.runs.labelValues("failure").get();

        objects.failDeletes = true;
        RetentionRun failed = job.runOnce();
        assertThat(failed.deletedEntries()).isEqualTo(1);
        assertThat(failed.deletedDeadObjects()).isZero();
        assertThat(failed.failures()).isEqualTo(1);
        assertThat(stored()).containsExactly(o1);
        assertThat(store.deadObjects(Long.MAX_VALUE, 10)).containsExactly(o1);
        assertThat(RetentionMetrics.INSTANCE.runs.labelValues("failure").get() - failuresBefore).isEqualTo(1);

        objects.failDeletes = false;
        assertThat(job.runOnce()).isEqualTo(new RetentionRun(0, 0, 0, 1, 0, 0));
        assertThat(stored()).isEmpty();
        assertThat(store.deadObjects(Long.MAX_VALUE, 10)).isEmpty();
    }

    @Test
    void aDeletedTopicsObjectsGoAfterTheGracePeriod() {
        store.createTopic("t", 2, Map.of("retention.ms", "-1"));
        store.createTopic("keep", 1, Map.of("retention.ms", "-1"));
        String onlyT = commit(write(time.milliseconds(), T0, T1));
        String shared = commit(write(time.milliseconds(), T1, KEEP0));
        RetentionJob job = job(RetentionConfig.DEFAULT);

        assertThat(store.deleteTopic("t")).isTrue();
        assertThat(job.runOnce().deletedDeadObjects()).isZero();
        assertThat(stored()).containsExactlyInAnyOrder(onlyT, shared);

        time.advance(5 * MINUTE);
        assertThat(job.runOnce().deletedDeadObjects()).isEqualTo(1);
        assertThat(stored()).containsExactly(shared);
    }

    // ---- orphans

    @Test
    void deletesNeverCommittedObjectsOnceOlderThanTheOrphanAge() {
        advanceTo("2023-11-14T22:15:00Z");
        store.createTopic("keep", 1, Map.of("retention.ms", "-1"));
        store.createTopic("short", 1, Map.of("retention.ms", "3600000"));
        RetentionJob job = job(RetentionConfig.DEFAULT.withOrphanScanInterval(Duration.ofHours(2)));
        String live = commit(write(time.milliseconds(), KEEP0));
        String oldOrphan = write(time.milliseconds(), KEEP0);
        // An object of a day that ended long ago, committed, expiring in this run: dead, not an orphan.
        String dead = commit(write("segments/2023/11/13/1-dead.seg", time.milliseconds() - 2 * HOUR,
                new TopicPartition("short", 0)));
        putJunk("segments/2023/11/13/2-junk.seg");   // a whole day old: goes whatever it holds
        putJunk("segments/2023/11/14/2-junk.seg");   // today, age unknown: stays until the day is old enough
        putJunk("segments/2023/11/01/2-junk.seg");   // older than the lookback of 3 days: never scanned
        putJunk("other/thing");                      // not a segment key: never touched

        advanceTo("2023-11-14T23:30:00Z");
        String youngOrphan = write(time.milliseconds(), KEEP0);
        RetentionRun first = job.runOnce(); // cutoff 22:30

        assertThat(first.deletedOrphans()).isEqualTo(2);
        assertThat(first.deletedEntries()).isEqualTo(1);
        assertThat(stored()).containsExactlyInAnyOrder(live, youngOrphan, dead, "segments/2023/11/14/2-junk.seg",
                "segments/2023/11/01/2-junk.seg", "other/thing");

        // 70 minutes on, the young orphan is old enough, but the next scan is due only after 2 hours.
        // The dead object's grace period is over.
        advanceTo("2023-11-15T00:40:00Z");
        RetentionRun second = job.runOnce();
        assertThat(second.deletedOrphans()).isZero();
        assertThat(second.deletedDeadObjects()).isEqualTo(1);
        assertThat(stored()).contains(youngOrphan).doesNotContain(dead);

        advanceTo("2023-11-15T01:31:00Z"); // cutoff 00:31: the 14th is now a whole day old
        RetentionRun third = job.runOnce();
        assertThat(third.deletedOrphans()).isEqualTo(2);
        assertThat(third.failures()).isZero();
        assertThat(stored()).containsExactlyInAnyOrder(live, "segments/2023/11/01/2-junk.seg", "other/thing");
        assertThat(store.offsets(KEEP0)).contains(new PartitionOffsets(0, 1));
    }

    @Test
    void aZeroLookbackDisablesTheOrphanScan() {
        String orphan = write(time.milliseconds());
        time.advance(3 * DAY);
        assertThat(job(RetentionConfig.DEFAULT.withOrphanLookback(Duration.ZERO)).runOnce().deletedOrphans()).isZero();
        assertThat(stored()).containsExactly(orphan);
        assertThat(job(RetentionConfig.DEFAULT).runOnce().deletedOrphans()).isEqualTo(1);
        assertThat(stored()).isEmpty();
    }

    // ---- running

    @Test
    void jobsOfSeveralAgentsOnOneStoreDeleteEachEntryOnce() throws Exception {
        store.createTopic("t", 2, Map.of("retention.ms", "3600000"));
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.add(commit(write(time.milliseconds(), T0, T1)));
        }
        String young = commit(write(time.milliseconds() + 2 * HOUR, T0));
        time.advance(2 * HOUR);
        List<RetentionJob> jobs = List.of(job(store, RetentionConfig.DEFAULT), job(openStore(), RetentionConfig.DEFAULT),
                job(openStore(), RetentionConfig.DEFAULT));

        List<RetentionRun> runs = runConcurrently(jobs);
        assertThat(runs).allMatch(r -> r.failures() == 0);
        assertThat(runs.stream().mapToLong(RetentionRun::deletedEntries).sum()).isEqualTo(60);
        assertThat(store.offsets(T0)).contains(new PartitionOffsets(30, 31));
        assertThat(store.offsets(T1)).contains(new PartitionOffsets(30, 30));

        time.advance(5 * MINUTE);
        runs = runConcurrently(jobs);
        assertThat(runs).allMatch(r -> r.failures() == 0);
        assertThat(runs.stream().mapToInt(RetentionRun::deletedDeadObjects).sum()).isGreaterThanOrEqualTo(30);
        assertThat(stored()).containsExactly(young);
        assertThat(store.deadObjects(Long.MAX_VALUE, 100)).isEmpty();
    }

    private static List<RetentionRun> runConcurrently(List<RetentionJob> jobs) throws Exception {
        List<CompletableFuture<RetentionRun>> runs = new ArrayList<>();
        for (RetentionJob job : jobs) {
            runs.add(CompletableFuture.supplyAsync(job::runOnce));
        }
        List<RetentionRun> results = new ArrayList<>();
        for (CompletableFuture<RetentionRun> run : runs) {
            results.add(run.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    @Test
    void runsOnTheExecutorUntilClosed() throws Exception {
        store.createTopic("t", 1, Map.of("retention.ms", "0"));
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            RetentionJob job = job(RetentionConfig.DEFAULT.withInterval(Duration.ofMillis(10)));
            job.start(executor);
            assertThatThrownBy(() -> job.start(executor)).isInstanceOf(IllegalStateException.class);

            commit(write(time.milliseconds() - 1, T0));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (store.offsets(T0).orElseThrow().logStartOffset() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(store.offsets(T0)).contains(new PartitionOffsets(1, 1));

            job.close();
            commit(write(time.milliseconds() - 1, T0));
            Thread.sleep(100);
            assertThat(store.offsets(T0)).contains(new PartitionOffsets(1, 2));
            assertThat(executor.isShutdown()).isFalse();
            assertThatThrownBy(() -> job.start(executor)).isInstanceOf(IllegalStateException.class);
            assertThat(job.runOnce()).isEqualTo(new RetentionRun(0, 0, 0, 0, 0, 0));
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void refusesABadConfig() {
        assertThatThrownBy(() -> RetentionConfig.DEFAULT.withInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetentionConfig.DEFAULT.withGracePeriod(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetentionConfig.DEFAULT.withOrphanAge(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RetentionConfig.DEFAULT).isEqualTo(new RetentionConfig(Duration.ofMinutes(1), Duration.ofMinutes(5),
                Duration.ofHours(1), Duration.ofHours(1), Duration.ofDays(3)));
    }

    /** The filesystem store, whose deletions can be made to fail. */
    private static final class FailingDeletes implements ObjectStore {
        private final ObjectStore delegate;
        volatile boolean failDeletes;

        FailingDeletes(ObjectStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableFuture<Void> put(String key, ByteBuffer content) {
            return delegate.put(key, content);
        }

        @Override
        public CompletableFuture<ByteBuffer> get(String key, long position, int length) {
            return delegate.get(key, position, length);
        }

        @Override
        public CompletableFuture<ByteBuffer> get(String key) {
            return delegate.get(key);
        }

        @Override
        public CompletableFuture<Void> delete(String key) {
            return failDeletes ? CompletableFuture.failedFuture(new IOException("injected DELETE failure"))
                    : delegate.delete(key);
        }

        @Override
        public CompletableFuture<List<String>> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
