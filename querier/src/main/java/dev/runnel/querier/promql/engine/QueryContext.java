package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.model.Series;
import dev.runnel.querier.promql.storage.Querier;
import java.util.List;

/**
 * What one query's evaluation shares: the querier, the options, the query's own start and end
 * (for {@code @ start()} and {@code @ end()}), the sample budget and the cancellation checks.
 */
final class QueryContext {
  final Querier querier;
  final EngineOptions options;
  final long queryStart;
  final long queryEnd;
  private final long deadlineNanos;
  private volatile boolean canceled;
  private long samples;
  private int checks;

  QueryContext(Querier querier, EngineOptions options, long queryStart, long queryEnd) {
    this.querier = querier;
    this.options = options;
    this.queryStart = queryStart;
    this.queryEnd = queryEnd;
    this.deadlineNanos = options.nanoClock().getAsLong() + options.timeout().toNanos();
  }

  void cancel() {
    canceled = true;
  }

  List<Series> select(long minT, long maxT, List<Matcher> matchers) {
    checkpoint();
    return querier.select(minT, maxT, matchers);
  }

  /**
   * Counts samples the query holds: each point of every intermediate result and the raw samples
   * of the range being evaluated. Unlike Prometheus' peak count this never goes down, so it is
   * the stricter of the two.
   */
  void addSamples(long n) {
    samples += n;
    if (samples > options.maxSamples()) {
      throw new QueryException(QueryException.Reason.TOO_MANY_SAMPLES,
          "query processing would load too many samples into memory in query execution");
    }
  }

  /** Checks the budget for samples held only briefly (one series' range at a time). */
  void checkTransient(long n) {
    if (samples + n > options.maxSamples()) {
      throw new QueryException(QueryException.Reason.TOO_MANY_SAMPLES,
          "query processing would load too many samples into memory in query execution");
    }
  }

  /** Throws when the query was cancelled or ran out of time; cheap enough to call per series. */
  void checkpoint() {
    if (canceled) {
      throw new QueryException(QueryException.Reason.CANCELED, "query was canceled");
    }
    if ((++checks & 0xff) == 0 && options.nanoClock().getAsLong() - deadlineNanos > 0) {
      throw new QueryException(QueryException.Reason.TIMEOUT,
          "query timed out in query execution after " + options.timeout());
    }
  }
}
