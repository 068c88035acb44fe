package dev.runnel.querier.fanout;

import dev.runnel.querier.ingester.IngesterQueryException;
import dev.runnel.ring.OwnerState;
import dev.runnel.ring.Partition;
import dev.runnel.ring.PartitionOwner;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Reads every partition from one of its owners, in the order of an {@link OwnerPreference},
 * moving on after any failure but INVALID_ARGUMENT (the request itself is wrong, so every owner
 * would refuse it). Partitions are read in parallel; a partition no owner answers for fails the
 * whole read, naming it: as a timeout when every owner ran out of time (for a strongly consistent
 * read, typically, none caught up with the end offset in time).
 */
final class PartitionReader {

    /** One call to one owner of one partition. */
    @FunctionalInterface
    interface Call<T> {
        /** @param minOffset the record the owner must have consumed before it answers, if any */
        T read(String address, int partition, OptionalLong minOffset);
    }

    private final OwnerPreference preference;
    private final Executor executor;

    PartitionReader(OwnerPreference preference, Executor executor) {
        this.preference = preference;
        this.executor = executor;
    }

    /**
     * Every partition's answer, in partition order.
     *
     * @param endOffsets end offsets of partitions to read after (as {@link EndOffsets} tells them); partitions
     *                   without one, or at offset 0, are read without waiting
     */
    <T> List<T> readAll(List<Partition> partitions, Map<Integer, Long> endOffsets, Call<T> call) {
        List<CompletableFuture<T>> answers = new ArrayList<>(partitions.size());
        for (Partition p : partitions) {
            OptionalLong minOffset = minOffset(endOffsets.get(p.id()));
            answers.add(CompletableFuture.supplyAsync(() -> read(p, minOffset, call), executor));
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

    /** The last record before the end offset: the one the ingester must have consumed. */
    private static OptionalLong minOffset(Long endOffset) {
        return endOffset == null || endOffset <= 0 ? OptionalLong.empty() : OptionalLong.of(endOffset - 1);
    }

    /** One partition's answer from the first owner that gives one. */
    private <T> T read(Partition partition, OptionalLong minOffset, Call<T> call) {
        List<PartitionOwner> owners = candidates(partition);
        if (owners.isEmpty()) {
            throw new PartitionUnavailableException("partition " + partition.id()
                    + " has no ACTIVE owner with a query address in the ring: its series cannot be read", false);
        }
        List<String> failures = new ArrayList<>();
        boolean allTimedOut = true;
        for (PartitionOwner owner : owners) {
            try {
                return call.read(owner.address(), partition.id(), minOffset);
            } catch (IngesterQueryException e) {
                if (e.code() == Status.Code.INVALID_ARGUMENT) {
                    throw e;
                }
                allTimedOut &= e.code() == Status.Code.DEADLINE_EXCEEDED;
                failures.add(owner.ingesterId() + " at " + owner.address() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                allTimedOut = false;
                failures.add(owner.ingesterId() + " at " + owner.address() + ": " + e);
            }
        }
        String waited = minOffset.isPresent() ? " up to offset " + minOffset.getAsLong() : "";
        throw new PartitionUnavailableException("partition " + partition.id() + ": no owner answered" + waited
                + ", so the query cannot see all series; " + String.join("; ", failures), allTimedOut);
    }

    /** The owners to ask, in order: fresh heartbeats only, unless no owner has one. */
    private List<PartitionOwner> candidates(Partition partition) {
        long now = preference.clock().millis();
        List<PartitionOwner> fresh = new ArrayList<>();
        List<PartitionOwner> stale = new ArrayList<>();
        for (PartitionOwner o : partition.owners()) {
            if (o.state() == OwnerState.ACTIVE && !o.address().isEmpty()) {
                (o.isHealthy(now, preference.heartbeatTimeout()) ? fresh : stale).add(o);
            }
        }
        List<PartitionOwner> owners = fresh.isEmpty() ? stale : fresh;
        owners.sort(Comparator.comparing((PartitionOwner o) -> !o.zone().equals(preference.zone())).thenComparing(PartitionOwner::zone));
        return owners;
    }
}
