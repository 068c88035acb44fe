package dev.runnel.ingester.chunk;

/** What a {@link SampleIterator} stands on after {@code next()}. */
public enum ValueType {
    /** The iterator is exhausted. */
    NONE,
    /** A float sample: {@link SampleIterator#value()}. */
    FLOAT,
    /** A native histogram sample: {@link SampleIterator#histogram()}. */
    HISTOGRAM
}
