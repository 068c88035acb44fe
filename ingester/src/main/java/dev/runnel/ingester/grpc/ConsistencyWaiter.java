package dev.runnel.ingester.grpc;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Read after write: holds a query back until the ingester has consumed a partition at least up
 * to an offset, so that a query sees the samples a client wrote before it asked. The partition
 * consumer implements it; {@link #NONE} answers at once.
 */
public interface ConsistencyWaiter {

    /** Returns at once: for an ingester without a consumer, and for tests. */
    ConsistencyWaiter NONE = (partition, offset, timeout) -> { };

    /**
     * Returns once the records of {@code partition} up to {@code offset} are in the heads.
     *
     * @throws TimeoutException if that did not happen within {@code timeout}
     * @throws InterruptedException if the waiting thread was interrupted
     */
    void awaitOffset(int partition, long offset, Duration timeout) throws TimeoutException, InterruptedException;
}
