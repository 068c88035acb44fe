package dev.runnel.querier.promql.storage;

/** Something series can be read from: the in-memory store, an ingester, a fan-out over many. */
public interface Queryable {
  /** A querier for samples between minT and maxT (inclusive, milliseconds). */
  Querier querier(long minT, long maxT);
}
