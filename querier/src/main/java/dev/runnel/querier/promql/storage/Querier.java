package dev.runnel.querier.promql.storage;

import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.model.Series;
import java.util.List;

/**
 * Reads series for one query. The engine closes it when the query ends.
 *
 * <p>Implementations may return samples outside [minT, maxT]; the engine filters them.
 */
public interface Querier extends AutoCloseable {
  /** The series matching all matchers, sorted by labels, with samples in [minT, maxT]. */
  List<Series> select(long minT, long maxT, List<Matcher> matchers);

  /** The sorted label names of series matching all matchers (every series when none). */
  List<String> labelNames(List<Matcher> matchers);

  /** The sorted values of one label over series matching all matchers. */
  List<String> labelValues(String name, List<Matcher> matchers);

  @Override
  default void close() {}
}
