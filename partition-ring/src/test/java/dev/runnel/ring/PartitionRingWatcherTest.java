package dev.runnel.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.log.kv.InMemoryKvStore;
import dev.runnel.log.kv.KvStore;
import dev.runnel.log.metadata.ManualTime;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PartitionRingWatcherTest {
    private static final Duration INTERVAL = Duration.ofHours(1); // tests poll by hand

    private final ManualTime time = new ManualTime();
    private final InMemoryKvStore kv = new InMemoryKvStore();
    private final RingMetrics metrics = new RingMetrics(new PrometheusRegistry());
    private final PartitionRingEditor editor = new PartitionRingEditor(new PartitionRingStore(kv), time, metrics);

    @Test
    void handsOutTheLatestRingAfterEachPoll() {
        try (PartitionRingWatcher watcher = watcher(kv)) {
            editor.addPartition(0);
            watcher.start();
            assertThat(watcher.ring().partitions()).extracting(Partition::id).containsExactly(0);

            editor.addPartition(1);
            editor.changeState(1, PartitionState.ACTIVE);
            assertThat(watcher.ring().partitions()).as("not before the next poll").hasSize(1);

            assertThat(watcher.poll()).isTrue();
            assertThat(watcher.ring().partitions()).extracting(Partition::id).containsExactly(0, 1);
            assertThat(metrics.partitions(PartitionState.ACTIVE)).isEqualTo(1);
            assertThat(metrics.partitions(PartitionState.PENDING)).isEqualTo(1);
        }
    }

    @Test
    void aRingThatDidNotChangeIsNotDecodedAgain() {
        editor.addPartition(0);
        PartitionRingWatcher watcher = watcher(kv);
        watcher.poll();
        PartitionRing first = watcher.ring();

        watcher.poll();

        assertThat(watcher.ring()).isSameAs(first);
    }

    @Test
    void aFailedPollKeepsTheLastRingAndTheAgeGrows() {
        editor.addPartition(0);
        PartitionRingWatcher watcher = watcher(kv);
        watcher.poll();
        PartitionRing lastGood = watcher.ring();

        kv.setUnavailable(true);
        time.advance(3_000);
        assertThat(watcher.poll()).isFalse();
        time.advance(2_000);
        assertThat(watcher.poll()).isFalse();

        assertThat(watcher.ring()).isSameAs(lastGood);
        assertThat(watcher.snapshotAge()).isEqualTo(Duration.ofSeconds(5));
        assertThat(metrics.pollFailures()).isEqualTo(2);

        kv.setUnavailable(false);
        assertThat(watcher.poll()).isTrue();
        assertThat(watcher.snapshotAge()).isZero();
    }

    @Test
    void anUndecodableValueIsAFailedPollToo() {
        editor.addPartition(0);
        PartitionRingWatcher watcher = watcher(kv);
        watcher.poll();
        long version = kv.get(PartitionRingStore.DEFAULT_KEY).orElseThrow().version();
        kv.compareAndSet(PartitionRingStore.DEFAULT_KEY, version, "{\"version\":9}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(watcher.poll()).isFalse();
        assertThat(watcher.ring().partitions()).hasSize(1);
    }

    @Test
    void startsEmptyWhenTheStoreIsDownAndPicksTheRingUpLater() {
        editor.addPartition(0);
        kv.setUnavailable(true);
        try (PartitionRingWatcher watcher = watcher(kv)) {
            watcher.start();
            assertThat(watcher.ring().partitions()).isEmpty();

            kv.setUnavailable(false);
            watcher.poll();
            assertThat(watcher.ring().partitions()).hasSize(1);
        }
    }

    @Test
    void ringReadsDoNotTouchTheStore() {
        editor.addPartition(0);
        AtomicInteger reads = new AtomicInteger();
        KvStore counting = new InterleavingKvStore(kv, () -> { }) {
            @Override
            public Optional<Versioned> get(String key) {
                reads.incrementAndGet();
                return super.get(key);
            }
        };
        PartitionRingWatcher watcher = watcher(counting);
        watcher.poll();

        for (int i = 0; i < 1_000; i++) {
            watcher.ring();
        }

        assertThat(reads).hasValue(1);
    }

    @Test
    void pollsInTheBackground() throws Exception {
        try (PartitionRingWatcher watcher = new PartitionRingWatcher(
                new PartitionRingStore(kv), Duration.ofMillis(10), time, metrics)) {
            watcher.start();
            editor.addPartition(4);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (watcher.ring().partition(4).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(watcher.ring().partitions()).extracting(Partition::id).isEqualTo(List.of(4));
        }
    }

    @Test
    void aPollIntervalMustBePositive() {
        assertThatThrownBy(() -> new PartitionRingWatcher(new PartitionRingStore(kv), Duration.ZERO, time))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pollInterval must be positive: PT0S");
    }

    private PartitionRingWatcher watcher(KvStore store) {
        return new PartitionRingWatcher(new PartitionRingStore(store), INTERVAL, time, metrics);
    }
}
