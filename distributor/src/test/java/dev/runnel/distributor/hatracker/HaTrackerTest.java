package dev.runnel.distributor.hatracker;

import static dev.runnel.distributor.push.MetricValues.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.log.kv.KvStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class HaTrackerTest {

    private static final long T0 = 1_700_000_000_000L;

    private final TestKvStore store = new TestKvStore();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final HaTracker tracker = tracker(registry);

    @Test
    void theFirstReplicaIsElectedAndTheOtherRefused() {
        assertThat(tracker.elect("t", "c1", "r1", T0)).isEqualTo("r1");
        assertThat(tracker.elect("t", "c1", "r2", T0 + 1000)).isEqualTo("r1");
        assertThat(tracker.elect("t", "c1", "r1", T0 + 2000)).isEqualTo("r1");
        assertThat(tracker.elect("t", "c2", "r2", T0 + 2000)).as("another cluster").isEqualTo("r2");
        assertThat(tracker.elect("u", "c1", "r2", T0 + 2000)).as("another tenant").isEqualTo("r2");
    }

    @Test
    void failoverAfterTheFailoverTimeoutWithoutSamplesFromTheElected() {
        tracker.elect("t", "c", "r1", T0);
        assertThat(tracker.elect("t", "c", "r2", T0 + 29_999)).isEqualTo("r1");
        assertThat(tracker.elect("t", "c", "r2", T0 + 30_000)).isEqualTo("r2");
        assertThat(tracker.elect("t", "c", "r1", T0 + 31_000)).as("the old replica is now refused").isEqualTo("r2");
        assertThat(value(registry, "runnel_ha_tracker_elected_replica_changes", "user", "t", "cluster", "c")).isEqualTo(1);
        assertThat(stored("t", "c").replica()).isEqualTo("r2");
        assertThat(stored("t", "c").electedChanges()).isEqualTo(1);
    }

    @Test
    void anElectedReplicaThatKeepsSendingKeepsItsElection() {
        for (long t = T0; t < T0 + 120_000; t += 5_000) {
            assertThat(tracker.elect("t", "c", "r1", t)).isEqualTo("r1");
            assertThat(tracker.elect("t", "c", "r2", t + 1)).isEqualTo("r1");
        }
    }

    @Test
    void theStoreIsWrittenAtMostEveryUpdateTimeout() {
        tracker.elect("t", "c", "r1", T0);
        int afterElection = store.calls.get();
        for (long t = T0; t < T0 + 14_000; t += 100) {
            tracker.elect("t", "c", "r1", t);
        }
        assertThat(store.calls.get()).isEqualTo(afterElection);
        tracker.elect("t", "c", "r1", T0 + 15_000);
        assertThat(store.calls.get()).as("one compare-and-set").isEqualTo(afterElection + 1);
        assertThat(stored("t", "c").receivedAt()).isEqualTo(T0 + 15_000);
    }

    @Test
    void electionsSurviveANewTrackerOnTheSameStore() {
        tracker.elect("t", "c", "r1", T0);

        HaTracker restarted = tracker(new PrometheusRegistry());
        assertThat(restarted.elect("t", "c", "r2", T0 + 5_000)).isEqualTo("r1");
        assertThat(restarted.elect("t", "c", "r1", T0 + 6_000)).isEqualTo("r1");
    }

    @Test
    void aFailoverByOneDistributorIsSeenByAnother() {
        HaTracker other = tracker(new PrometheusRegistry());
        tracker.elect("t", "c", "r1", T0);
        other.elect("t", "c", "r1", T0);

        assertThat(tracker.elect("t", "c", "r2", T0 + 31_000)).isEqualTo("r2");
        assertThat(other.elect("t", "c", "r2", T0 + 31_500)).as("re-reads a stale copy before refusing").isEqualTo("r2");
        assertThat(other.elect("t", "c", "r1", T0 + 32_000)).isEqualTo("r2");
        assertThat(stored("t", "c").electedChanges()).isEqualTo(1);
    }

    @Test
    void ofTwoTrackersElectingAtOnceOneWinsAndBothAgree() throws Exception {
        for (int round = 0; round < 20; round++) {
            TestKvStore shared = new TestKvStore();
            HaTracker a = new HaTracker(shared, HaTrackerConfig.DEFAULTS, new PrometheusRegistry());
            HaTracker b = new HaTracker(shared, HaTrackerConfig.DEFAULTS, new PrometheusRegistry());
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            results.add(pool.submit(() -> {
                start.await();
                return a.elect("t", "c", "ra", T0);
            }));
            results.add(pool.submit(() -> {
                start.await();
                return b.elect("t", "c", "rb", T0);
            }));
            start.countDown();
            String first = results.get(0).get();
            String second = results.get(1).get();
            pool.shutdown();

            assertThat(first).isEqualTo(second);
            assertThat(Election.fromJson(shared.get(HaTracker.key("t", "c")).orElseThrow().value()).replica()).isEqualTo(first);
            assertThat(a.elect("t", "c", first, T0 + 1)).isEqualTo(first);
            assertThat(b.elect("t", "c", first, T0 + 1)).isEqualTo(first);
        }
    }

    @Test
    void aFailingStoreNeverRefusesTheElectedReplica() {
        tracker.elect("t", "c", "r1", T0);
        store.failing = true;

        assertThat(tracker.elect("t", "c", "r1", T0 + 20_000)).isEqualTo("r1");
        assertThat(tracker.elect("t", "c", "r2", T0 + 20_001)).as("still deduplicated locally").isEqualTo("r1");
        assertThat(tracker.elect("t", "c", "r2", T0 + 60_000)).as("local failover").isEqualTo("r2");
        assertThat(tracker.elect("t", "new", "r9", T0 + 60_000)).as("a cluster never seen").isEqualTo("r9");
        assertThat(value(registry, "runnel_ha_tracker_kv_store_failures")).isPositive();

        store.failing = false;
        assertThat(tracker.elect("t", "c", "r2", T0 + 75_000)).isEqualTo("r2");
        assertThat(stored("t", "c").replica()).as("the store catches up").isEqualTo("r2");
        assertThat(tracker.elect("t", "new", "r9", T0 + 75_001)).isEqualTo("r9");
        assertThat(stored("t", "new").replica()).isEqualTo("r9");
    }

    @Test
    void aFailingStoreIsNotCalledOnEveryRequest() {
        store.failing = true;
        tracker.elect("t", "c", "r1", T0);
        int calls = store.calls.get();
        for (long t = T0; t < T0 + 900; t += 10) {
            tracker.elect("t", "c", "r2", t);
        }
        assertThat(store.calls.get()).isEqualTo(calls);
    }

    @Test
    void aCorruptStoredValueIsReplaced() {
        store.compareAndSet(HaTracker.key("t", "c"), KvStore.Versioned.ABSENT, "{oops".getBytes(StandardCharsets.UTF_8));
        assertThat(tracker.elect("t", "c", "r1", T0)).isEqualTo("r1");
        assertThat(stored("t", "c").replica()).isEqualTo("r1");
    }

    @Test
    void theFailoverTimeoutMustExceedTheUpdateTimeout() {
        assertThatThrownBy(() -> new HaTrackerConfig(Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ZERO))
                .hasMessageContaining("must be longer than ha_tracker_update_timeout");
    }

    private HaTracker tracker(PrometheusRegistry r) {
        return new HaTracker(store, HaTrackerConfig.DEFAULTS, r);
    }

    private Election stored(String tenant, String cluster) {
        return Election.fromJson(store.get(HaTracker.key(tenant, cluster)).orElseThrow().value());
    }
}
