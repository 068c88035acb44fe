package dev.runnel.querier.api;

import java.util.List;

/** Where the metadata API reads from: the ingesters. */
@FunctionalInterface
public interface MetricMetadataSource {
  /** A source that knows no metadata. */
  MetricMetadataSource NONE = (tenant, metric, consistency) -> List.of();

  /** The tenant's metadata, of every metric or, when {@code metric} is not empty, of that one. */
  List<MetricMetadata> metadata(String tenant, String metric, ConsistencyLevel consistency);
}
