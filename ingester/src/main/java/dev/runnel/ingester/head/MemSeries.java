package dev.runnel.ingester.head;

import dev.runnel.ingester.chunk.Chunk;
import dev.runnel.ingester.chunk.XorChunk;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.proto.prometheus.write.v2.Histogram;

/**
 * One series in the head. It keeps its labels as the sorted name/value array itself, not a
 * {@link Labels}, and the appender keeps the open float chunk at hand: finding a series and
 * appending to it then costs the fewest dependent memory loads, which bound replay speed once
 * the head outgrows the CPU caches. The chunk arrays are immutable and replaced whole (copy-on-write) when
 * a chunk is cut or collected, so a reader gets a consistent list with one volatile read; the
 * last in-order chunk is the open one, appended to in place.
 */
final class MemSeries {

    static final Chunk[] NO_CHUNKS = new Chunk[0];

    final int ref;
    final String[] pairs;
    final long hash;
    /** In-order chunks, oldest first; the last is open. */
    volatile Chunk[] chunks = NO_CHUNKS;
    /** Chunks of out-of-order samples, each sorted, overlapping each other and the in-order ones. */
    volatile Chunk[] outOfOrderChunks = NO_CHUNKS;

    // Appender state.
    long maxTime = Long.MIN_VALUE;
    long lastValueBits;
    Histogram lastHistogram;
    /** The last in-order chunk if it is a float chunk, else null. */
    XorChunk openXor;

    /** {@code pairs} are the series' own: sorted, unique, not shared with a caller. */
    MemSeries(int ref, String[] pairs, long hash) {
        this.ref = ref;
        this.pairs = pairs;
        this.hash = hash;
    }

    Labels labels() {
        return Labels.copyOf(pairs, pairs.length);
    }

    /** Whether the series' labels are {@code other[offset, offset + length)}. */
    boolean hasLabels(String[] other, int offset, int length) {
        if (length != pairs.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            // Interned strings: equal ones are mostly the same object, which equals() checks first.
            if (!pairs[i].equals(other[offset + i])) {
                return false;
            }
        }
        return true;
    }

    /** The series for a snapshot; on the appender thread. */
    SeriesState state() {
        Chunk[] c = chunks;
        long openExtent = c.length == 0 ? 0 : SeriesState.extentOf(c[c.length - 1]);
        return new SeriesState(pairs, maxTime, lastValueBits, lastHistogram, c, openExtent, outOfOrderChunks);
    }

    boolean hasChunks() {
        return chunks.length > 0 || outOfOrderChunks.length > 0;
    }
}
