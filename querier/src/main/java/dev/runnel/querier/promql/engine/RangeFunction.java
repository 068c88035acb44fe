package dev.runnel.querier.promql.engine;

/** A function over one window of samples (never empty); false means "no value at this step". */
@FunctionalInterface
interface RangeFunction {
  boolean apply(RangeWindow w);
}
