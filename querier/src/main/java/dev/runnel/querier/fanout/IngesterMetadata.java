package dev.runnel.querier.fanout;

import dev.runnel.querier.api.MetricMetadata;
import java.util.List;

/** How the fan-out asks one ingester for a tenant's metric metadata in one partition. */
@FunctionalInterface
public interface IngesterMetadata {
    /** The metadata of {@code metric} (every metric when empty) at the ingester at {@code address}; failures are RuntimeExceptions. */
    List<MetricMetadata> metadata(String address, String tenant, int partition, String metric);
}
