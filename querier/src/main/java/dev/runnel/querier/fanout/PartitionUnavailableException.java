package dev.runnel.querier.fanout;

/** No owner of a partition answered: the query fails rather than answering without that partition's series. */
public final class PartitionUnavailableException extends RuntimeException {
    PartitionUnavailableException(String message) {
        super(message);
    }
}
