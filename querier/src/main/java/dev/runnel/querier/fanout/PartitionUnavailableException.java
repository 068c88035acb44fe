package dev.runnel.querier.fanout;

import dev.runnel.querier.api.StorageUnavailableException;

/** No owner of a partition answered: the query fails rather than answering without that partition's series. */
public final class PartitionUnavailableException extends StorageUnavailableException {
    PartitionUnavailableException(String message, boolean timedOut) {
        super(message, timedOut, null);
    }
}
