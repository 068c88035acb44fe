package dev.runnel.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.log.kv.InMemoryKvStore;
import dev.runnel.log.metadata.ManualTime;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PartitionInstanceLifecyclerTest {
    // Long enough that the background heartbeat never fires during a test: tests call heartbeat().
    private static final Duration PERIOD = Duration.ofHours(1);

    private final ManualTime time = new ManualTime();
    private final InMemoryKvStore kv = new InMemoryKvStore();
    private final RingMetrics metrics = new RingMetrics(new PrometheusRegistry());
    private final PartitionRingEditor editor = new PartitionRingEditor(new PartitionRingStore(kv), time, metrics);
    private final List<PartitionInstanceLifecycler> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(PartitionInstanceLifecycler::close);
    }

    @Test
    void startCreatesThePartitionAndActivatesItWithItsFirstOwner() {
        PartitionInstanceLifecycler a = start("ingester-zone-a-3", 1);

        Partition p = partition(3);
        assertThat(a.partitionId()).isEqualTo(3);
        assertThat(p.state()).isEqualTo(PartitionState.ACTIVE);
        assertThat(p.owner("a").orElseThrow())
                .isEqualTo(new PartitionOwner("ingester-zone-a-3", "a", OwnerState.ACTIVE, time.milliseconds()));
    }

    @Test
    void registersItsQueryAddressAndKeepsItWhenStopped() {
        PartitionInstanceLifecycler a = lifecycler(
                PartitionLifecyclerConfig.defaults("ingester-zone-a-1").withAddress("10.0.0.7:9095"));
        a.start();
        assertThat(partition(1).owner("a").orElseThrow().address()).isEqualTo("10.0.0.7:9095");

        a.close();
        assertThat(partition(1).owner("a").orElseThrow().state()).isEqualTo(OwnerState.STOPPED);
        assertThat(partition(1).owner("a").orElseThrow().address()).isEqualTo("10.0.0.7:9095");
    }

    @Test
    void aPartitionStaysPendingUntilItHasEnoughOwners() {
        start("ingester-zone-a-0", 2);
        assertThat(partition(0).state()).isEqualTo(PartitionState.PENDING);

        time.advance(1_000);
        start("ingester-zone-b-0", 2);
        assertThat(partition(0).state()).isEqualTo(PartitionState.ACTIVE);
        assertThat(partition(0).stateChangedMs()).isEqualTo(time.milliseconds());
        assertThat(partition(0).owners()).hasSize(2);
    }

    @Test
    void anyLifecyclerActivatesAPendingPartitionThatHasEnoughOwners() {
        editor.addPartition(5);
        editor.upsertOwner(5, "ingester-zone-a-5", "a", OwnerState.ACTIVE);
        assertThat(partition(5).state()).isEqualTo(PartitionState.PENDING);

        start("ingester-zone-a-1", 1);

        assertThat(partition(5).state()).isEqualTo(PartitionState.ACTIVE);
    }

    @Test
    void heartbeatsRefreshTheOwnerAndSurviveStoreFailures() {
        PartitionInstanceLifecycler a = start("ingester-zone-a-0", 1);
        long registered = time.milliseconds();

        time.advance(15_000);
        kv.setUnavailable(true);
        a.heartbeat();
        assertThat(metrics.heartbeatFailures()).isEqualTo(1);

        kv.setUnavailable(false);
        time.advance(15_000);
        a.heartbeat();
        assertThat(partition(0).owner("a").orElseThrow().heartbeatMs()).isEqualTo(registered + 30_000);
    }

    @Test
    void aHeartbeatRegistersTheIngesterAgainIfItWasRemoved() {
        PartitionInstanceLifecycler a = start("ingester-zone-a-0", 1);
        editor.removeOwner(0, "ingester-zone-a-0");

        a.heartbeat();

        assertThat(partition(0).ownerById("ingester-zone-a-0")).isPresent();
    }

    @Test
    void gracefulShutdownKeepsOwnershipAsStoppedAndThePartitionWritable() {
        PartitionInstanceLifecycler a = start("ingester-zone-a-0", 1);
        time.advance(2_000);

        a.close();

        Partition p = partition(0);
        assertThat(p.state()).isEqualTo(PartitionState.ACTIVE);
        assertThat(p.owner("a").orElseThrow().state()).isEqualTo(OwnerState.STOPPED);
        assertThat(p.owner("a").orElseThrow().heartbeatMs()).isEqualTo(time.milliseconds());

        start("ingester-zone-a-0", 1);
        assertThat(partition(0).owner("a").orElseThrow().state()).isEqualTo(OwnerState.ACTIVE);
    }

    @Test
    void shutdownForAScaleDownGivesThePartitionUp() {
        PartitionInstanceLifecycler a = lifecycler(new PartitionLifecyclerConfig("ingester-zone-a-0", PERIOD, 1, true));
        a.start();

        a.close();

        assertThat(partition(0).owners()).isEmpty();
    }

    @Test
    void startFailsWhenAnotherIngesterOwnsThePartitionInTheSameZone() {
        editor.addPartition(0);
        editor.upsertOwner(0, "ingester-zone-a-0-old", "a", OwnerState.ACTIVE);
        PartitionInstanceLifecycler a = lifecycler(new PartitionLifecyclerConfig("ingester-zone-a-0", PERIOD, 1, false));

        assertThatThrownBy(a::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already has owner ingester-zone-a-0-old in zone a");
    }

    @Test
    void configurationIsCheckedUpFront() {
        assertThatThrownBy(() -> PartitionLifecyclerConfig.defaults("ingester-7"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ingester id \"ingester-7\" is invalid: must be ingester-zone-<zone>-<partition>, e.g. ingester-zone-a-0");
        assertThatThrownBy(() -> new PartitionLifecyclerConfig("ingester-zone-a-0", PERIOD, 0, false))
                .hasMessage("minOwnersToActivate must be at least 1: 0");
        assertThatThrownBy(() -> new PartitionLifecyclerConfig("ingester-zone-a-0", Duration.ZERO, 1, false))
                .hasMessage("heartbeatPeriod must be positive: PT0S");
    }

    @Test
    void ingesterIdsNameZoneAndPartition() {
        assertThat(IngesterId.parse("ingester-zone-a-12")).isEqualTo(new IngesterId("a", 12));
        assertThat(IngesterId.parse("ingester-zone-us-east-1b-0")).isEqualTo(new IngesterId("us-east-1b", 0));
        assertThat(new IngesterId("b", 4)).hasToString("ingester-zone-b-4");
    }

    private PartitionInstanceLifecycler start(String ingesterId, int minOwners) {
        PartitionInstanceLifecycler lifecycler = lifecycler(new PartitionLifecyclerConfig(ingesterId, PERIOD, minOwners, false));
        lifecycler.start();
        return lifecycler;
    }

    private PartitionInstanceLifecycler lifecycler(PartitionLifecyclerConfig config) {
        PartitionInstanceLifecycler lifecycler = new PartitionInstanceLifecycler(editor, config, time, metrics);
        started.add(lifecycler);
        return lifecycler;
    }

    private Partition partition(int id) {
        return editor.read().partition(id).orElseThrow();
    }
}
