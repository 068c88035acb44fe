package dev.runnel.ingester.head;

import dev.runnel.ingester.chunk.Chunk;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.proto.prometheus.write.v2.Histogram;

/**
 * One series in the head. The chunk arrays are immutable and replaced whole (copy-on-write) when
 * a chunk is cut or collected, so a reader gets a consistent list with one volatile read; the
 * last in-order chunk is the open one, appended to in place.
 */
final class MemSeries {

    static final Chunk[] NO_CHUNKS = new Chunk[0];

    final int ref;
    final Labels labels;
    /** In-order chunks, oldest first; the last is open. */
    volatile Chunk[] chunks = NO_CHUNKS;
    /** Chunks of out-of-order samples, each sorted, overlapping each other and the in-order ones. */
    volatile Chunk[] outOfOrderChunks = NO_CHUNKS;

    // Appender state.
    long maxTime = Long.MIN_VALUE;
    long lastValueBits;
    Histogram lastHistogram;

    MemSeries(int ref, Labels labels) {
        this.ref = ref;
        this.labels = labels;
    }

    boolean hasChunks() {
        return chunks.length > 0 || outOfOrderChunks.length > 0;
    }
}
