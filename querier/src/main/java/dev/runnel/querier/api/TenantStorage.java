package dev.runnel.querier.api;

import dev.runnel.querier.promql.storage.Queryable;

/** Each tenant's series, read at a consistency level. */
@FunctionalInterface
public interface TenantStorage {
  /** The tenant's series; with {@link ConsistencyLevel#STRONG}, including everything written before this call. */
  Queryable queryable(String tenant, ConsistencyLevel consistency);
}
