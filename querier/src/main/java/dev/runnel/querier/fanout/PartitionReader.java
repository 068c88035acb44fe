package dev.runnel.querier.fanout;

import dev.runnel.querier.ingester.IngesterQueryException;
import dev.runnel.ring.OwnerState;
import dev.runnel.ring.Partition;
import dev.runnel.ring.PartitionOwner;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Reads every partition from one of its owners: the ACTIVE owners with a query address, the
 * reader's zone first and then the others in zone order, moving on after any failure but
 * INVALID_ARGUMENT (the request itself is wrong, so every owner would refuse it). Partitions are
 * read in parallel; a partition no owner answers for fails the whole read, naming it.
 */
final class PartitionReader {

    /** One call to one owner of one partition. */
    @FunctionalInterface
    interface Call<T> {
        T read(String address, int partition);
    }

    private final String zone;
    private final Executor executor;

    PartitionReader(String zone, Executor executor) {
        this.zone = zone;
        this.executor = executor;
    }

    /** Every partition's answer, in partition order. */
    <T> List<T> readAll(List<Partition> partitions, Call<T> call) {
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
    private <T> T read(Partition partition, Call<T> call) {
        List<PartitionOwner> owners = candidates(partition);
        if (owners.isEmpty()) {
            throw new PartitionUnavailableException("partition " + partition.id()
                    + " has no ACTIVE owner with a query address in the ring: its series cannot be read");
        }
        List<String> failures = new ArrayList<>();
        for (PartitionOwner owner : owners) {
            try {
                return call.read(owner.address(), partition.id());
            } catch (IngesterQueryException e) {
                if (e.code() == Status.Code.INVALID_ARGUMENT) {
                    throw e;
                }
                failures.add(owner.ingesterId() + " at " + owner.address() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                failures.add(owner.ingesterId() + " at " + owner.address() + ": " + e);
            }
        }
        throw new PartitionUnavailableException("partition " + partition.id() + ": no owner answered, so the query "
                + "cannot see all series; " + String.join("; ", failures));
    }

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
}
