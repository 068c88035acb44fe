package dev.runnel.ingester.grpc;

import dev.runnel.ingester.head.Heads;
import io.grpc.Status;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The partitions one process' query service answers for: each partition's heads and the waiter of
 * its consumer. A process runs one ingester per partition it owns (all of them with
 * {@code -target=all}) behind one gRPC server, so a call's {@code ReadConsistency.partition}
 * selects the heads it reads. Ingesters add their partition once they replay it and remove it
 * when they stop.
 */
public final class ServedPartitions {

    record Served(Heads heads, ConsistencyWaiter waiter) {
    }

    private final ConcurrentMap<Integer, Served> byPartition = new ConcurrentHashMap<>();
    /** Answers for every partition: a single ingester that does not route (tests, embedding). */
    private final Served everyPartition;

    public ServedPartitions() {
        this(null);
    }

    private ServedPartitions(Served everyPartition) {
        this.everyPartition = everyPartition;
    }

    /** One set of heads answering whatever partition a call names. */
    static ServedPartitions single(Heads heads, ConsistencyWaiter waiter) {
        return new ServedPartitions(new Served(Objects.requireNonNull(heads, "heads"), Objects.requireNonNull(waiter, "waiter")));
    }

    /** Serves {@code partition} from {@code heads}; {@code waiter} holds read-after-write calls back. */
    public void add(int partition, Heads heads, ConsistencyWaiter waiter) {
        Served previous = byPartition.putIfAbsent(partition,
                new Served(Objects.requireNonNull(heads, "heads"), Objects.requireNonNull(waiter, "waiter")));
        if (previous != null) {
            throw new IllegalStateException("partition " + partition + " is already served by this process");
        }
    }

    /** Stops serving {@code partition}; its calls get NOT_FOUND from now on. */
    public void remove(int partition) {
        byPartition.remove(partition);
    }

    /** What answers for {@code partition}; a NOT_FOUND status naming the partitions served if this process has none. */
    Served get(int partition) {
        if (everyPartition != null) {
            return everyPartition;
        }
        Served served = byPartition.get(partition);
        if (served == null) {
            throw Status.NOT_FOUND.withDescription("partition " + partition + " is not served by this ingester process "
                    + "(it serves " + new TreeSet<>(byPartition.keySet()) + ")").asRuntimeException();
        }
        return served;
    }
}
