package dev.runnel.querier.fanout;

import dev.runnel.querier.promql.storage.Querier;
import java.util.OptionalLong;

/** How the fan-out reaches one ingester: a querier of one tenant's data in one partition, at the ingester's address. */
@FunctionalInterface
public interface IngesterReplicas {
    /**
     * A querier whose calls go to the ingester at {@code address} ({@code host:port}); calls fail with a RuntimeException.
     *
     * @param minOffset when present, each call first waits until the ingester has consumed the record at this offset
     */
    Querier querier(String address, String tenant, int partition, OptionalLong minOffset);
}
