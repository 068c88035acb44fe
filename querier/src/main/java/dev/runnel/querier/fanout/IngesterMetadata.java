package dev.runnel.querier.fanout;

import dev.runnel.querier.api.MetricMetadata;
import java.util.List;
import java.util.OptionalLong;

/** How the fan-out asks one ingester for a tenant's metric metadata in one partition. */
@FunctionalInterface
public interface IngesterMetadata {
    /**
     * The metadata of {@code metric} (every metric when empty) at the ingester at {@code address}; failures are RuntimeExceptions.
     *
     * @param minOffset when present, the ingester first waits until it has consumed the record at this offset
     */
    List<MetricMetadata> metadata(String address, String tenant, int partition, String metric, OptionalLong minOffset);
}
