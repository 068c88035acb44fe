package dev.runnel.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.log.kv.InMemoryKvStore;
import dev.runnel.log.kv.KvStore;
import dev.runnel.log.metadata.ManualTime;
import dev.runnel.log.metadata.MetadataStoreException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PartitionRingEditorTest {
    private final ManualTime time = new ManualTime();
    private final InMemoryKvStore kv = new InMemoryKvStore();
    private final RingMetrics metrics = new RingMetrics(new PrometheusRegistry());
    private final PartitionRingEditor editor = editor(kv);

    @Test
    void addsAPartitionPendingAndOnlyOnce() {
        editor.addPartition(3);
        time.advance(1_000);
        editor.addPartition(3);

        Partition p = editor.read().partition(3).orElseThrow();
        assertThat(p.state()).isEqualTo(PartitionState.PENDING);
        assertThat(p.stateChangedMs()).isEqualTo(time.milliseconds() - 1_000);
        assertThat(kv.writes()).as("the second add changes nothing and writes nothing").isEqualTo(1);
    }

    @Test
    void legalTransitionsRecordWhenTheyHappened() {
        editor.addPartition(0);
        for (PartitionState next : List.of(PartitionState.ACTIVE, PartitionState.INACTIVE, PartitionState.ACTIVE)) {
            time.advance(5_000);
            Partition p = editor.changeState(0, next).partition(0).orElseThrow();
            assertThat(p.state()).isEqualTo(next);
            assertThat(p.stateChangedMs()).isEqualTo(time.milliseconds());
        }
        assertThat(editor.read().partition(0).orElseThrow().state()).isEqualTo(PartitionState.ACTIVE);
    }

    static Stream<Arguments> illegalTransitions() {
        List<Arguments> illegal = new ArrayList<>();
        for (PartitionState from : PartitionState.values()) {
            for (PartitionState to : PartitionState.values()) {
                boolean legal = (from == PartitionState.PENDING && to == PartitionState.ACTIVE)
                        || (from == PartitionState.ACTIVE && to == PartitionState.INACTIVE)
                        || (from == PartitionState.INACTIVE && to == PartitionState.ACTIVE);
                if (!legal) {
                    illegal.add(Arguments.of(from, to));
                }
            }
        }
        return illegal.stream();
    }

    @ParameterizedTest
    @MethodSource("illegalTransitions")
    void illegalTransitionsAreRefusedAndChangeNothing(PartitionState from, PartitionState to) {
        putInState(5, from);
        PartitionRing before = editor.read();
        long writes = kv.writes();

        assertThatThrownBy(() -> editor.changeState(5, to))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("partition 5 cannot change from " + from + " to " + to
                        + ": allowed are PENDING→ACTIVE, ACTIVE→INACTIVE and INACTIVE→ACTIVE");
        assertThat(editor.read()).isEqualTo(before);
        assertThat(kv.writes()).isEqualTo(writes);
    }

    @Test
    void changingAMissingPartitionSaysSo() {
        assertThatThrownBy(() -> editor.changeState(9, PartitionState.ACTIVE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("partition 9 does not exist in the ring: add it first");
    }

    @Test
    void ownersAreAddedRefreshedAndRemoved() {
        editor.addPartition(2);
        editor.upsertOwner(2, "ingester-zone-a-2", "a", OwnerState.ACTIVE);
        time.advance(15_000);
        editor.upsertOwner(2, "ingester-zone-a-2", "a", OwnerState.ACTIVE);
        editor.upsertOwner(2, "ingester-zone-b-2", "b", OwnerState.ACTIVE);

        Partition p = editor.read().partition(2).orElseThrow();
        assertThat(p.owners()).extracting(PartitionOwner::ingesterId).containsExactly("ingester-zone-a-2", "ingester-zone-b-2");
        assertThat(p.owner("a").orElseThrow().heartbeatMs()).isEqualTo(time.milliseconds());

        editor.removeOwner(2, "ingester-zone-a-2");
        assertThat(editor.read().partition(2).orElseThrow().owners())
                .extracting(PartitionOwner::ingesterId).containsExactly("ingester-zone-b-2");
    }

    @Test
    void aZoneHasOneOwner() {
        editor.addPartition(2);
        editor.upsertOwner(2, "ingester-zone-a-2", "a", OwnerState.ACTIVE);

        assertThatThrownBy(() -> editor.upsertOwner(2, "ingester-zone-a-7", "a", OwnerState.ACTIVE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("partition 2 already has owner ingester-zone-a-2 in zone a: remove it before adding ingester-zone-a-7");
    }

    @Test
    void onlyAnInactivePartitionWithoutOwnersIsDeleted() {
        putInState(4, PartitionState.ACTIVE);
        assertThatThrownBy(() -> editor.deletePartition(4))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("partition 4 is ACTIVE: only an INACTIVE partition can be deleted; make it INACTIVE first");

        editor.changeState(4, PartitionState.INACTIVE);
        editor.upsertOwner(4, "ingester-zone-a-4", "a", OwnerState.STOPPED);
        assertThatThrownBy(() -> editor.deletePartition(4))
                .hasMessage("partition 4 still has owners [ingester-zone-a-4]: remove them first");

        editor.removeOwner(4, "ingester-zone-a-4");
        editor.deletePartition(4);
        assertThat(editor.read().partition(4)).isEmpty();
    }

    @Test
    void aWriterThatLosesTheRaceRetriesOnTheNewerRingAndBothChangesSurvive() {
        editor.addPartition(1);
        PartitionRingEditor other = editor(kv);
        // Between this editor's read and its compare-and-set, the other editor adds its owner.
        KvStore interleaved = new InterleavingKvStore(kv,
                () -> other.upsertOwner(1, "ingester-zone-b-1", "b", OwnerState.ACTIVE));
        PartitionRingEditor racing = editor(interleaved);

        racing.upsertOwner(1, "ingester-zone-a-1", "a", OwnerState.ACTIVE);

        assertThat(editor.read().partition(1).orElseThrow().owners())
                .extracting(PartitionOwner::ingesterId).containsExactly("ingester-zone-a-1", "ingester-zone-b-1");
        assertThat(metrics.casConflicts()).isEqualTo(1);
    }

    @Test
    void aTransitionIsCheckedAgainAfterLosingARace() {
        putInState(1, PartitionState.PENDING);
        PartitionRingEditor other = editor(kv);
        KvStore interleaved = new InterleavingKvStore(kv, () -> other.changeState(1, PartitionState.ACTIVE));

        assertThatThrownBy(() -> editor(interleaved).changeState(1, PartitionState.ACTIVE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("partition 1 cannot change from ACTIVE to ACTIVE");
    }

    @Test
    void concurrentEditorsLoseNoChange() throws Exception {
        int threads = 4;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t * perThread;
            PartitionRingEditor own = editor(kv);
            done.add(pool.submit(() -> {
                start.await();
                for (int id = first; id < first + perThread; id++) {
                    own.addPartition(id);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        assertThat(editor.read().partitions()).hasSize(threads * perThread);
        assertThat(kv.writes()).isEqualTo(threads * perThread);
    }

    @Test
    void givesUpWithARetriableErrorWhenItNeverWins() {
        KvStore alwaysConflicting = new InterleavingKvStore(kv, () -> { }) {
            @Override
            public Optional<Long> compareAndSet(String key, long expectedVersion, byte[] value) {
                return Optional.empty();
            }
        };

        assertThatThrownBy(() -> editor(alwaysConflicting).addPartition(0))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining("was changed by others 32 times");
        assertThat(metrics.casConflicts()).isEqualTo(PartitionRingEditor.MAX_ATTEMPTS);
    }

    private void putInState(int id, PartitionState state) {
        editor.addPartition(id);
        if (state != PartitionState.PENDING) {
            editor.changeState(id, PartitionState.ACTIVE);
        }
        if (state == PartitionState.INACTIVE) {
            editor.changeState(id, PartitionState.INACTIVE);
        }
    }

    private PartitionRingEditor editor(KvStore store) {
        return new PartitionRingEditor(new PartitionRingStore(store), time, metrics);
    }
}
