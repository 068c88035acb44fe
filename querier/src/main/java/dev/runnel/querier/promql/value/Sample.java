package dev.runnel.querier.promql.value;

import dev.runnel.querier.promql.model.Labels;

/** One element of an instant vector. */
public record Sample(Labels labels, long timestampMillis, double value) {}
