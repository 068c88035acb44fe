package dev.runnel.ingester.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.ingester.HeadDump;
import dev.runnel.ingester.head.Heads;
import dev.runnel.log.metadata.ManualTime;
import dev.runnel.log.objectstore.FileSystemObjectStore;
import dev.runnel.log.objectstore.ObjectStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotterTest {
    private static final Duration INTERVAL = Duration.ofMinutes(5);

    @TempDir
    Path dir;
    private final ManualTime time = new ManualTime();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final List<Long> committed = new CopyOnWriteArrayList<>();
    private FlakyStore objects;
    private SnapshotStore store;
    private Heads heads;
    private Snapshotter snapshotter;

    @BeforeEach
    void start() {
        objects = new FlakyStore(new FileSystemObjectStore(dir, 2, false));
        store = new SnapshotStore(objects, "ingest", 0, "a", 4096);
        heads = SnapshotTestHeads.filled(100);
        snapshotter = new Snapshotter(store, heads, INTERVAL, SnapshotMetrics.register(registry, time), 0, time, -1, 0);
        snapshotter.committingWith(offset -> {
            committed.add(offset);
            return CompletableFuture.completedFuture(null);
        });
    }

    @AfterEach
    void stop() {
        objects.close();
    }

    @Test
    void snapshotsEveryIntervalCommitsOnceDurableAndKeepsTheNewestTwo() throws Exception {
        snapshotter.afterPoll(100);
        assertThat(store.completeSnapshots()).as("not due before the interval").isEmpty();

        for (int i = 1; i <= 3; i++) {
            time.advance(INTERVAL.toMillis());
            SnapshotTestHeads.fill(heads, 100 * i, 100 * i + 10);
            pollUntilDurable(100L * i);
        }

        assertThat(committed).containsExactly(100L, 200L, 300L);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (store.completeSnapshots().size() > 2 && System.nanoTime() < deadline) {
            Thread.sleep(5); // old ones are deleted after the commit
        }
        assertThat(store.completeSnapshots()).hasSize(2).last().asString().startsWith("00000000000000000300-");
        assertThat(metric("runnel_ingester_snapshots")).isEqualTo(3);
        assertThat(metric("runnel_ingester_snapshot_last_bytes")).isGreaterThan(1000);
        time.advance(30_000);
        assertThat(metric("runnel_ingester_snapshot_age_seconds")).isEqualTo(30);
        assertThat(HeadDump.of(store.loadNewest(SnapshotTestHeads.CONFIG).orElseThrow().heads())).isEqualTo(HeadDump.of(heads));
    }

    @Test
    void aFailedWriteIsCountedAndTheNextIntervalTriesAgain() throws Exception {
        objects.failPuts = true;
        time.advance(INTERVAL.toMillis());
        snapshotter.afterPoll(100);
        awaitMetric("runnel_ingester_snapshot_failures", 1);
        assertThat(snapshotter.durableOffset()).isEqualTo(-1);
        assertThat(committed).isEmpty();

        objects.failPuts = false;
        snapshotter.afterPoll(100);
        assertThat(store.completeSnapshots()).as("not before the next interval").isEmpty();
        time.advance(INTERVAL.toMillis());
        pollUntilDurable(100);
        assertThat(committed).containsExactly(100L);
    }

    @Test
    void onCloseItSnapshotsWhatIsNewAndReturnsTheOffsetToCommit() throws Exception {
        assertThat(snapshotter.beforeClose(100)).isEqualTo(100);
        assertThat(store.completeSnapshots()).singleElement().asString().startsWith("00000000000000000100-");
        assertThat(committed).as("the consumer commits the last one itself").isEmpty();
    }

    @Test
    void nothingNewMeansNoNewSnapshot() throws Exception {
        time.advance(INTERVAL.toMillis());
        pollUntilDurable(100);
        time.advance(INTERVAL.toMillis());
        snapshotter.afterPoll(100);
        assertThat(snapshotter.beforeClose(100)).isEqualTo(100);
        assertThat(store.completeSnapshots()).hasSize(1);
        assertThat(metric("runnel_ingester_snapshots")).isEqualTo(1);
    }

    @Test
    void aConsumerThatNeverStartedGetsNoLastSnapshot() throws Exception {
        assertThat(snapshotter.beforeClose(-1)).isEqualTo(-1);
        assertThat(store.completeSnapshots()).isEmpty();
    }

    @Test
    void abandonedItTakesNoLastSnapshot() throws Exception {
        snapshotter.abandon();
        assertThat(snapshotter.beforeClose(100)).isEqualTo(-1);
        assertThat(store.completeSnapshots()).isEmpty();
    }

    /** Polls as the consumer does (the snapshotter starts a snapshot once the last one is written) until {@code offset} is durable and committed. */
    private void pollUntilDurable(long offset) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (committed.isEmpty() || committed.get(committed.size() - 1) != offset) {
            assertThat(System.nanoTime()).as("snapshot at %d durable", offset).isLessThan(deadline);
            snapshotter.afterPoll(offset);
            Thread.sleep(5);
        }
        assertThat(snapshotter.durableOffset()).isEqualTo(offset);
    }

    private void awaitMetric(String name, double value) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (metric(name) != value) {
            assertThat(System.nanoTime()).as("%s reaches %s", name, value).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private double metric(String name) {
        MetricSnapshot snapshot = registry.scrape().stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
        double sum = 0;
        for (DataPointSnapshot d : snapshot.getDataPoints()) {
            sum += d instanceof CounterSnapshot.CounterDataPointSnapshot c ? c.getValue() : ((GaugeSnapshot.GaugeDataPointSnapshot) d).getValue();
        }
        return sum;
    }

    /** A store whose puts fail while told to. */
    private static final class FlakyStore implements ObjectStore {
        private final ObjectStore delegate;
        volatile boolean failPuts;

        FlakyStore(ObjectStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableFuture<Void> put(String key, ByteBuffer content) {
            return failPuts ? CompletableFuture.failedFuture(new IOException("the store is down")) : delegate.put(key, content);
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
            return delegate.delete(key);
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
