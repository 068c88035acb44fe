package dev.runnel.ingester.chunk;

import dev.runnel.proto.prometheus.write.v2.Histogram;

/**
 * Samples in timestamp order, read without allocation: {@link #next()} moves to the next sample
 * and says its type; the accessors describe the current sample.
 */
public interface SampleIterator {

    /** Moves to the next sample; {@link ValueType#NONE} when there is none left. */
    ValueType next();

    /** Milliseconds since the epoch of the current sample. */
    long timestamp();

    /** The current float sample's value, bit for bit as appended (NaN payloads and stale markers included). */
    double value();

    /** The current histogram sample; only valid when {@code next()} returned {@link ValueType#HISTOGRAM}. */
    Histogram histogram();
}
