package dev.runnel.querier.promql.storage;

/** Something series can be read from: the in-memory store, an ingester, a fan-out over many. */
public interface Queryable {
  /**
   * A querier for one query. minT and maxT (inclusive, milliseconds) only hint at the query's
   * time range (the engine passes its start minus the lookback delta and its end, not yet the
   * reach of offsets, ranges and subqueries); the bounds of each {@link Querier#select} call are
   * the ones to honour.
   */
  Querier querier(long minT, long maxT);
}
