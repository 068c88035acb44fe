package dev.runnel.querier.fanout;

import java.util.List;
import java.util.Map;

/**
 * The end offsets of the ingest topic's partitions: the offset the next record written to each
 * will get. A strongly consistent read waits until the ingesters have consumed up to them.
 */
@FunctionalInterface
public interface EndOffsets {
    /** For eventually consistent reads: no offsets, so nothing is waited for. */
    EndOffsets NONE = partitions -> Map.of();

    /**
     * The end offset of each of {@code partitions}, read after this call began.
     *
     * @throws dev.runnel.querier.api.StorageUnavailableException if the log does not tell them in time
     */
    Map<Integer, Long> endOffsets(List<Integer> partitions);
}
