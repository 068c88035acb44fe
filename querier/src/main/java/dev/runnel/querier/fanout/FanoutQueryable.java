package dev.runnel.querier.fanout;

import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.model.Series;
import dev.runnel.querier.promql.storage.Querier;
import dev.runnel.querier.promql.storage.Queryable;
import dev.runnel.ring.Partition;
import dev.runnel.ring.PartitionRing;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One tenant's series across the ingesters, as Mimir's querier reads ingest storage: every
 * readable partition of the ring is read from one of its owners ({@link PartitionReader}: the
 * querier's zone first, another zone's owner when that one fails or times out, and a
 * {@link PartitionUnavailableException} naming the partition when none answers, since a partial
 * answer would look like missing data). Partitions are read in parallel and their label-sorted
 * answers merged in one pass: a series is written to exactly one partition, so the merge never
 * has to combine two series.
 *
 * <p>A querier reads the ring once, when it is created: one query sees one ring.
 */
public final class FanoutQueryable implements Queryable {

    private final Supplier<PartitionRing> ring;
    private final IngesterReplicas replicas;
    private final String tenant;
    private final PartitionReader reader;

    /**
     * @param ring     the current ring snapshot, e.g. a {@code PartitionRingWatcher}'s
     * @param zone     the querier's zone, whose owners are asked first
     * @param executor runs the calls to the partitions' owners
     */
    public FanoutQueryable(Supplier<PartitionRing> ring, String zone, IngesterReplicas replicas, String tenant, Executor executor) {
        this.ring = Objects.requireNonNull(ring, "ring");
        this.replicas = Objects.requireNonNull(replicas, "replicas");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.reader = new PartitionReader(Objects.requireNonNull(zone, "zone"), Objects.requireNonNull(executor, "executor"));
    }

    @Override
    public Querier querier(long minT, long maxT) {
        List<Partition> partitions = ring.get().readablePartitions();
        return new Querier() {
            @Override
            public List<Series> select(long minT, long maxT, List<Matcher> matchers) {
                return SortedMerge.series(readAll(partitions, q -> q.select(minT, maxT, matchers)));
            }

            @Override
            public List<String> labelNames(List<Matcher> matchers) {
                return union(readAll(partitions, q -> q.labelNames(matchers)));
            }

            @Override
            public List<String> labelValues(String name, List<Matcher> matchers) {
                return union(readAll(partitions, q -> q.labelValues(name, matchers)));
            }
        };
    }

    private <T> List<T> readAll(List<Partition> partitions, Function<Querier, T> call) {
        return reader.readAll(partitions, (address, partition) -> {
            try (Querier querier = replicas.querier(address, tenant, partition)) {
                return call.apply(querier);
            }
        });
    }

    private static List<String> union(List<List<String>> sorted) {
        TreeSet<String> all = new TreeSet<>();
        sorted.forEach(all::addAll);
        return List.copyOf(all);
    }
}
