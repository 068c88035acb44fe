package dev.runnel.ingester.head;

import java.util.Map;

/**
 * A tenant head's size and counters at one moment.
 *
 * @param chunkBytes bytes of encoded samples in chunks (arrays only, not object overhead)
 */
public record HeadStats(long series, long chunks, long chunkBytes, long samplesAppended, Map<DiscardReason, Long> discarded) {
    public long discarded(DiscardReason reason) {
        return discarded.getOrDefault(reason, 0L);
    }
}
