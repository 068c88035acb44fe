package dev.runnel.ingester.chunk;

/**
 * A run of samples of one series in timestamp order. One thread appends (the head's appender);
 * any number of threads read what was appended before they asked: a chunk publishes its sample
 * count last, and readers never look past the count they read.
 */
public sealed interface Chunk permits XorChunk, HistogramChunk, OutOfOrderChunk {

    /** Samples a chunk holds at most before the head cuts a new one, as in Prometheus. */
    int MAX_SAMPLES = 120;

    int numSamples();

    /** Timestamp of the first sample; meaningless while {@link #numSamples()} is 0. */
    long minTime();

    /** Timestamp of the last sample; meaningless while {@link #numSamples()} is 0. */
    long maxTime();

    /** Heap bytes the encoded samples take (the chunk's arrays, not its object header). */
    int sizeBytes();

    /** A fresh iterator over the samples appended so far. */
    SampleIterator iterator();
}
