package dev.runnel.querier.fanout;

import dev.runnel.querier.ingester.IngesterQueryException;
import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.model.Series;
import dev.runnel.querier.promql.storage.Querier;
import dev.runnel.querier.promql.storage.Queryable;
import dev.runnel.ring.OwnerState;
import dev.runnel.ring.Partition;
import dev.runnel.ring.PartitionOwner;
import dev.runnel.ring.PartitionRing;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One tenant's series across the ingesters, as Mimir's querier reads ingest storage: every
 * readable partition of the ring is read from one of its owners, preferring the querier's zone
 * and turning to another zone's owner when that one fails or times out. Partitions are read in
 * parallel, and their label-sorted answers merged in one pass: a series is written to exactly one
 * partition, so the merge never has to combine two series. When no owner of a partition answers,
 * the query fails naming the partition: a partial answer would look like missing data.
 *
 * <p>A querier reads the ring once, when it is created: one query sees one ring.
 */
public final class FanoutQueryable implements Queryable {

    private final Supplier<PartitionRing> ring;
    private final String zone;
    private final IngesterReplicas replicas;
    private final String tenant;
    private final Executor executor;

    /**
     * @param ring     the current ring snapshot, e.g. a {@code PartitionRingWatcher}'s
     * @param zone     the querier's zone, whose owners are asked first
     * @param executor runs the calls to the partitions' owners
     */
    public FanoutQueryable(Supplier<PartitionRing> ring, String zone, IngesterReplicas replicas, String tenant, Executor executor) {
        this.ring = Objects.requireNonNull(ring, "ring");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.replicas = Objects.requireNonNull(replicas, "replicas");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.executor = Objects.requireNonNull(executor, "executor");
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

    /** Every partition's answer, in partition order; throws if a partition has none. */
    private <T> List<T> readAll(List<Partition> partitions, Function<Querier, T> call) {
        List<CompletableFuture<T>> answers = new ArrayList<>(partitions.size());
        for (Partition p : partitions) {
            answers.add(CompletableFuture.supplyAsync(() -> read(p, call), executor));
        }
        List<T> out = new ArrayList<>(answers.size());
        for (CompletableFuture<T> answer : answers) {
            try {
                out.add(answer.join());
            } catch (CompletionException e) {
                answers.forEach(a -> a.cancel(false));
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        return out;
    }

    /** One partition's answer from the first owner that gives one. */
    private <T> T read(Partition partition, Function<Querier, T> call) {
        List<PartitionOwner> owners = candidates(partition);
        if (owners.isEmpty()) {
            throw new PartitionUnavailableException("partition " + partition.id()
                    + " has no ACTIVE owner with a query address in the ring: its series cannot be read");
        }
        List<String> failures = new ArrayList<>();
        for (PartitionOwner owner : owners) {
            try (Querier querier = replicas.querier(owner.address(), tenant, partition.id())) {
                return call.apply(querier);
            } catch (IngesterQueryException e) {
                if (e.code() == Status.Code.INVALID_ARGUMENT) {
                    throw e; // the request is wrong: another owner would refuse it as well
                }
                failures.add(owner.ingesterId() + " at " + owner.address() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                failures.add(owner.ingesterId() + " at " + owner.address() + ": " + e);
            }
        }
        throw new PartitionUnavailableException("partition " + partition.id() + ": no owner answered, so the query "
                + "cannot see all series; " + String.join("; ", failures));
    }

    /** The ACTIVE owners that serve queries, this querier's zone first. */
    private List<PartitionOwner> candidates(Partition partition) {
        List<PartitionOwner> owners = new ArrayList<>();
        for (PartitionOwner o : partition.owners()) {
            if (o.state() == OwnerState.ACTIVE && !o.address().isEmpty()) {
                owners.add(o);
            }
        }
        owners.sort(Comparator.comparing((PartitionOwner o) -> !o.zone().equals(zone)).thenComparing(PartitionOwner::zone));
        return owners;
    }

    private static List<String> union(List<List<String>> sorted) {
        TreeSet<String> all = new TreeSet<>();
        sorted.forEach(all::addAll);
        return List.copyOf(all);
    }
}
