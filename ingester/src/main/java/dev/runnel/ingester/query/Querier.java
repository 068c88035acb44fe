package dev.runnel.ingester.query;

import dev.runnel.ingester.labels.LabelMatcher;
import java.util.List;

/**
 * Reads one tenant's recent samples: what the ingester's query service answers. Safe to call from
 * any thread while samples are being appended; a query sees at least the samples appended before
 * it started.
 */
public interface Querier {

    /**
     * The series matching all {@code matchers} (at least one should not match the empty value,
     * or every series is read) that have samples in {@code [minT, maxT]} (milliseconds, inclusive),
     * with those samples, sorted by labels ({@link dev.runnel.ingester.labels.Labels#compareTo}).
     */
    SeriesSet select(long minT, long maxT, List<LabelMatcher> matchers);

    /** Label names of the series matching {@code matchers} (of all series when empty), sorted. */
    List<String> labelNames(List<LabelMatcher> matchers);

    /** Values of label {@code name} on the series matching {@code matchers} (on all series when empty), sorted. */
    List<String> labelValues(String name, List<LabelMatcher> matchers);

    /** Metadata of metric family {@code family}, or of every family when it is null. */
    List<MetricMetadata> metadata(String family);
}
