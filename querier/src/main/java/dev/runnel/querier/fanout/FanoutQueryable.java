package dev.runnel.querier.fanout;

import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.model.Series;
import dev.runnel.querier.promql.storage.Querier;
import dev.runnel.querier.promql.storage.Queryable;
import dev.runnel.ring.Partition;
import dev.runnel.ring.PartitionRing;
import java.util.List;
import java.util.Map;
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
 * <p>A querier reads the ring once, when it is created: one query sees one ring. For a strongly
 * consistent read it also asks the log once for the end offsets of the partitions it reads, and
 * each call then waits until the owner has consumed up to them.
 */
public final class FanoutQueryable implements Queryable {

    private final Supplier<PartitionRing> ring;
    private final IngesterReplicas replicas;
    private final String tenant;
    private final EndOffsets endOffsets;
    private final PartitionReader reader;

    /**
     * @param ring       the current ring snapshot, e.g. a {@code PartitionRingWatcher}'s
     * @param owners     which owners of a partition to ask first
     * @param endOffsets the offsets to read after: {@link EndOffsets#NONE} for eventual consistency
     * @param executor   runs the calls to the partitions' owners
     */
    public FanoutQueryable(Supplier<PartitionRing> ring, OwnerPreference owners, IngesterReplicas replicas, String tenant,
                           EndOffsets endOffsets, Executor executor) {
        this.ring = Objects.requireNonNull(ring, "ring");
        this.replicas = Objects.requireNonNull(replicas, "replicas");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.endOffsets = Objects.requireNonNull(endOffsets, "endOffsets");
        this.reader = new PartitionReader(Objects.requireNonNull(owners, "owners"), Objects.requireNonNull(executor, "executor"));
    }

    @Override
    public Querier querier(long minT, long maxT) {
        List<Partition> partitions = ring.get().readablePartitions();
        Map<Integer, Long> offsets = endOffsets.endOffsets(partitions.stream().map(Partition::id).toList());
        return new Querier() {
            @Override
            public List<Series> select(long minT, long maxT, List<Matcher> matchers) {
                return SortedMerge.series(readAll(partitions, offsets, q -> q.select(minT, maxT, matchers)));
            }

            @Override
            public List<String> labelNames(List<Matcher> matchers) {
                return union(readAll(partitions, offsets, q -> q.labelNames(matchers)));
            }

            @Override
            public List<String> labelValues(String name, List<Matcher> matchers) {
                return union(readAll(partitions, offsets, q -> q.labelValues(name, matchers)));
            }
        };
    }

    private <T> List<T> readAll(List<Partition> partitions, Map<Integer, Long> offsets, Function<Querier, T> call) {
        return reader.readAll(partitions, offsets, (address, partition, minOffset) -> {
            try (Querier querier = replicas.querier(address, tenant, partition, minOffset)) {
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
