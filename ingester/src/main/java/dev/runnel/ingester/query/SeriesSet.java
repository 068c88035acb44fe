package dev.runnel.ingester.query;

import dev.runnel.ingester.chunk.SampleIterator;
import dev.runnel.ingester.labels.Labels;

/** Series a selection found, one at a time: {@link #next()}, then {@link #labels()} and {@link #samples()}. */
public interface SeriesSet {

    /** Moves to the next series; false when there is none left. */
    boolean next();

    Labels labels();

    /** The current series' samples within the selected time range, in timestamp order. */
    SampleIterator samples();
}
