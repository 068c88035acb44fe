package dev.runnel.ingester.head;

import dev.runnel.ingester.chunk.Chunk;
import dev.runnel.ingester.chunk.XorChunk;
import dev.runnel.proto.prometheus.write.v2.Histogram;

/**
 * One series as a head snapshot holds it: what {@link TenantHead#capture()} froze and
 * {@link TenantHead#restore(SeriesState)} rebuilds. The chunk arrays are the head's own immutable
 * arrays (never modify them); all chunks but the open one (the last in-order chunk) are no longer
 * appended to, and of the open one only the part counted by {@code openExtent} belongs to the
 * snapshot: the appender may have gone on since.
 *
 * @param pairs            sorted label names and values, alternating
 * @param maxTime          the newest in-order sample's timestamp; {@link Long#MIN_VALUE} if none
 * @param lastValueBits    the newest sample's value bits when it is a float sample
 * @param lastHistogram    the newest sample when it is a histogram, else null
 * @param chunks           in-order chunks, oldest first
 * @param openExtent       how much of the last in-order chunk the snapshot holds:
 *                         {@link XorChunk#extent()} for a float chunk, the sample count for a
 *                         histogram chunk; 0 without chunks. Restored series have their chunks'
 *                         extents as they are.
 * @param outOfOrderChunks chunks of out-of-order samples (immutable)
 */
public record SeriesState(String[] pairs, long maxTime, long lastValueBits, Histogram lastHistogram, Chunk[] chunks,
                          long openExtent, Chunk[] outOfOrderChunks) {

    /** The extent of a chunk that is no longer appended to, or of the open one on the appender thread. */
    public static long extentOf(Chunk chunk) {
        return chunk instanceof XorChunk xor ? xor.extent() : chunk.numSamples();
    }
}
