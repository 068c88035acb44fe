package dev.runnel.distributor.sharding;

/** No partition can take writes now (the ring has no ACTIVE partition); a retry later may succeed. */
public final class NoWritablePartitionException extends RuntimeException {

    public NoWritablePartitionException(String message) {
        super(message);
    }
}
