package dev.runnel.querier.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.querier.ingester.IngesterQueryException;
import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.model.SampleIterator;
import dev.runnel.querier.promql.model.Series;
import dev.runnel.querier.promql.storage.Querier;
import dev.runnel.ring.OwnerState;
import dev.runnel.ring.Partition;
import dev.runnel.ring.PartitionOwner;
import dev.runnel.ring.PartitionRing;
import dev.runnel.ring.PartitionState;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fan-out over fake ingesters: one owner per partition asked, this zone first, sorted merge, no partial answers. */
class FanoutQueryableTest {

    /** What each fake ingester address answers to select: series names, or null to fail as unavailable. */
    private final Map<String, List<String>> answers = new HashMap<>();
    private final List<String> asked = new ArrayList<>();
    /** The owners' heartbeats are at 1 ms, so they are fresh until 60,001 ms. */
    private Clock clock = Clock.fixed(Instant.ofEpochMilli(30_000), ZoneOffset.UTC);

    private final IngesterReplicas replicas = (address, tenant, partition, minOffset) -> new Querier() {
        @Override
        public List<Series> select(long minT, long maxT, List<Matcher> matchers) {
            asked.add(address + "/" + partition);
            List<String> names = answers.get(address);
            if (names == null) {
                throw new IngesterQueryException(address, "select", Status.UNAVAILABLE.withDescription("connection refused"), null);
            }
            return names.stream().map(FanoutQueryableTest::series).toList();
        }

        @Override
        public List<String> labelNames(List<Matcher> matchers) {
            return List.of("__name__", "p" + partition);
        }

        @Override
        public List<String> labelValues(String name, List<Matcher> matchers) {
            return answers.getOrDefault(address, List.of());
        }
    };

    @Test
    void asksTheOwnerInItsOwnZoneAndMergesThePartitionsByLabels() {
        answers.put("a0:9095", List.of("b", "d"));
        answers.put("b0:9095", List.of("wrong zone"));
        answers.put("a1:9095", List.of("a", "c", "e"));
        answers.put("b1:9095", List.of("wrong zone"));
        PartitionRing ring = ring(partition(0, owner("a", 0), owner("b", 0)), partition(1, owner("a", 1), owner("b", 1)));

        Querier querier = fanout(ring, "a").querier(0, 10);

        assertThat(names(querier.select(0, 10, List.of()))).containsExactly("a", "b", "c", "d", "e");
        assertThat(asked).containsExactlyInAnyOrder("a0:9095/0", "a1:9095/1");
        assertThat(querier.labelNames(List.of())).containsExactly("__name__", "p0", "p1");
        assertThat(querier.labelValues("__name__", List.of())).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void turnsToTheOtherZoneWhenItsOwnZonesOwnerFails() {
        answers.put("b0:9095", List.of("x"));
        answers.put("b1:9095", List.of("y"));
        answers.put("a1:9095", List.of("z"));
        PartitionRing ring = ring(partition(0, owner("a", 0), owner("b", 0)), partition(1, owner("a", 1), owner("b", 1)));

        assertThat(names(fanout(ring, "b").querier(0, 10).select(0, 10, List.of()))).containsExactly("x", "y");
        asked.clear();
        assertThat(names(fanout(ring, "a").querier(0, 10).select(0, 10, List.of()))).containsExactly("x", "z");
        assertThat(asked).containsExactlyInAnyOrder("a0:9095/0", "b0:9095/0", "a1:9095/1");
    }

    @Test
    void aZoneSpelledAsTheFlagSpellsItMatchesTheRingsZone() {
        answers.put("a0:9095", List.of("wrong zone"));
        answers.put("b0:9095", List.of("own zone"));
        PartitionRing ring = ring(partition(0, owner("a", 0), owner("b", 0)));

        assertThat(names(fanout(ring, "zone-b").querier(0, 10).select(0, 10, List.of()))).containsExactly("own zone");
        assertThat(asked).containsExactly("b0:9095/0");
    }

    @Test
    void skipsStoppedOwnersAndOwnersWithoutAnAddress() {
        answers.put("a0:9095", List.of("never asked"));
        answers.put("c0:9095", List.of("x"));
        PartitionRing ring = ring(partition(0, new PartitionOwner("ingester-zone-a-0", "a", OwnerState.STOPPED, 1, "a0:9095"),
                new PartitionOwner("ingester-zone-b-0", "b", OwnerState.ACTIVE, 1, ""), owner("c", 0)));

        assertThat(names(fanout(ring, "a").querier(0, 10).select(0, 10, List.of()))).containsExactly("x");
        assertThat(asked).containsExactly("c0:9095/0");
    }

    @Test
    void failsNamingThePartitionWhenNoOwnerAnswers() {
        answers.put("a0:9095", List.of("x"));
        PartitionRing ring = ring(partition(0, owner("a", 0)), partition(1, owner("a", 1), owner("b", 1)));

        assertThatThrownBy(() -> fanout(ring, "a").querier(0, 10).select(0, 10, List.of()))
                .isInstanceOf(PartitionUnavailableException.class)
                .hasMessageContaining("partition 1: no owner answered")
                .hasMessageContaining("ingester-zone-a-1 at a1:9095: ingester a1:9095: select failed: UNAVAILABLE: connection refused")
                .hasMessageContaining("ingester-zone-b-1 at b1:9095");

        PartitionRing ownerless = ring(partition(0, owner("a", 0)), partition(2));
        assertThatThrownBy(() -> fanout(ownerless, "a").querier(0, 10).select(0, 10, List.of()))
                .isInstanceOf(PartitionUnavailableException.class)
                .hasMessage("partition 2 has no ACTIVE owner with a query address in the ring: its series cannot be read");
    }

    @Test
    void prefersOwnersWithAFreshHeartbeatUnlessNoneHasOne() {
        answers.put("a0:9095", List.of("stale zone a"));
        answers.put("b0:9095", List.of("fresh zone b"));
        PartitionRing ring = ring(partition(0, new PartitionOwner("ingester-zone-a-0", "a", OwnerState.ACTIVE, 1, "a0:9095"),
                new PartitionOwner("ingester-zone-b-0", "b", OwnerState.ACTIVE, 100_000, "b0:9095")));
        clock = Clock.fixed(Instant.ofEpochMilli(120_000), ZoneOffset.UTC); // a's heartbeat is 2 minutes old, b's 20 s

        assertThat(names(fanout(ring, "a").querier(0, 10).select(0, 10, List.of()))).containsExactly("fresh zone b");
        assertThat(asked).containsExactly("b0:9095/0");

        asked.clear();
        answers.remove("b0:9095");
        assertThatThrownBy(() -> fanout(ring, "a").querier(0, 10).select(0, 10, List.of()))
                .isInstanceOf(PartitionUnavailableException.class).hasMessageContaining("ingester-zone-b-0")
                .hasMessageNotContaining("ingester-zone-a-0");

        asked.clear();
        clock = Clock.fixed(Instant.ofEpochMilli(600_000), ZoneOffset.UTC); // both stale: both are asked, zone a first
        answers.put("b0:9095", List.of("stale zone b"));
        answers.remove("a0:9095");
        assertThat(names(fanout(ring, "a").querier(0, 10).select(0, 10, List.of()))).containsExactly("stale zone b");
        assertThat(asked).containsExactly("a0:9095/0", "b0:9095/0");
    }

    @Test
    void aPartitionWhoseOwnersAllRanOutOfTimeFailsAsATimeout() {
        IngesterReplicas slow = (address, tenant, partition, minOffset) -> new Querier() {
            @Override
            public List<Series> select(long minT, long maxT, List<Matcher> matchers) {
                asked.add(address + "@" + minOffset.orElse(-1));
                throw new IngesterQueryException(address, "select", Status.DEADLINE_EXCEEDED.withDescription(
                        "partition 0 was not consumed up to offset 6 within 300 ms"), null);
            }

            @Override
            public List<String> labelNames(List<Matcher> matchers) {
                return List.of();
            }

            @Override
            public List<String> labelValues(String name, List<Matcher> matchers) {
                return List.of();
            }
        };
        PartitionRing ring = ring(partition(0, owner("a", 0), owner("b", 0)));
        List<List<Integer>> lookups = new ArrayList<>();
        FanoutQueryable strong = new FanoutQueryable(() -> ring, new OwnerPreference("a", Duration.ofMinutes(1), clock), slow, "t",
                partitions -> {
                    lookups.add(partitions);
                    return Map.of(0, 7L);
                }, Runnable::run);

        Querier querier = strong.querier(0, 10);
        assertThatThrownBy(() -> querier.select(0, 10, List.of()))
                .isInstanceOf(PartitionUnavailableException.class)
                .hasMessageContaining("partition 0: no owner answered up to offset 6")
                .satisfies(e -> assertThat(((PartitionUnavailableException) e).timedOut()).isTrue());
        assertThatThrownBy(() -> querier.select(0, 10, List.of())).isInstanceOf(PartitionUnavailableException.class);
        assertThat(asked).containsExactly("a0:9095@6", "b0:9095@6", "a0:9095@6", "b0:9095@6");
        assertThat(lookups).as("one end offset lookup per querier, for all its partitions").containsExactly(List.of(0));

        // one owner refusing the connection: the partition is unavailable, not late
        answers.clear();
        PartitionRing mixed = ring(partition(0, owner("a", 0)));
        assertThatThrownBy(() -> fanout(mixed, "a").querier(0, 10).select(0, 10, List.of()))
                .satisfies(e -> assertThat(((PartitionUnavailableException) e).timedOut()).isFalse());
    }

    @Test
    void aRefusedRequestIsNotRetriedInTheOtherZone() {
        IngesterReplicas refusing = (address, tenant, partition, minOffset) -> new Querier() {
            @Override
            public List<Series> select(long minT, long maxT, List<Matcher> matchers) {
                asked.add(address);
                throw new IngesterQueryException(address, "select", Status.INVALID_ARGUMENT.withDescription("bad regex"), null);
            }

            @Override
            public List<String> labelNames(List<Matcher> matchers) {
                return List.of();
            }

            @Override
            public List<String> labelValues(String name, List<Matcher> matchers) {
                return List.of();
            }
        };
        PartitionRing ring = ring(partition(0, owner("a", 0), owner("b", 0)));

        assertThatThrownBy(() -> new FanoutQueryable(() -> ring, OwnerPreference.zone("a"), refusing, "t", EndOffsets.NONE, Runnable::run).querier(0, 10)
                .select(0, 10, List.of()))
                .isInstanceOf(IngesterQueryException.class).hasMessageContaining("bad regex");
        assertThat(asked).containsExactly("a0:9095");
    }

    @Test
    void pendingPartitionsAreNotRead() {
        answers.put("a0:9095", List.of("x"));
        PartitionRing ring = PartitionRing.of(List.of(partition(0, owner("a", 0)),
                new Partition(1, PartitionState.PENDING, 1, List.of(owner("a", 1)))));

        assertThat(names(fanout(ring, "a").querier(0, 10).select(0, 10, List.of()))).containsExactly("x");
        assertThat(asked).containsExactly("a0:9095/0");
    }

    @Test
    void theMergeKeepsLabelOrderAcrossManyPartitions() {
        List<Partition> partitions = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            List<String> names = new ArrayList<>();
            for (int i = p; i < 64; i += 8) {
                names.add(String.format("m%02d", i));
            }
            answers.put("a" + p + ":9095", names);
            partitions.add(partition(p, owner("a", p)));
        }

        List<String> merged = names(fanout(PartitionRing.of(partitions), "a").querier(0, 10).select(0, 10, List.of()));
        assertThat(merged).hasSize(64).isSorted().startsWith("m00", "m01", "m02");
    }

    private FanoutQueryable fanout(PartitionRing ring, String zone) {
        return new FanoutQueryable(() -> ring, new OwnerPreference(zone, Duration.ofMinutes(1), clock), replicas, "t", EndOffsets.NONE,
                Runnable::run);
    }

    private static PartitionRing ring(Partition... partitions) {
        return PartitionRing.of(List.of(partitions));
    }

    private static Partition partition(int id, PartitionOwner... owners) {
        return new Partition(id, PartitionState.ACTIVE, 1, List.of(owners));
    }

    private static PartitionOwner owner(String zone, int partition) {
        return new PartitionOwner("ingester-zone-" + zone + "-" + partition, zone, OwnerState.ACTIVE, 1, zone + partition + ":9095");
    }

    private static Series series(String name) {
        Labels labels = Labels.of("__name__", name);
        return new Series() {
            @Override
            public Labels labels() {
                return labels;
            }

            @Override
            public SampleIterator iterator() {
                throw new UnsupportedOperationException("not read by the fan-out");
            }
        };
    }

    private static List<String> names(List<Series> series) {
        return series.stream().map(s -> s.labels().get("__name__")).toList();
    }
}
