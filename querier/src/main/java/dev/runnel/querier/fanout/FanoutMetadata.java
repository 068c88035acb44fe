package dev.runnel.querier.fanout;

import dev.runnel.querier.api.MetricMetadata;
import dev.runnel.querier.api.MetricMetadataSource;
import dev.runnel.ring.PartitionRing;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Metric metadata across the ingesters: every readable partition read from one owner, as
 * {@link FanoutQueryable} reads series, and the answers joined without duplicates (a metric
 * written to several partitions is described by each), sorted by metric.
 */
public final class FanoutMetadata implements MetricMetadataSource {

    private final Supplier<PartitionRing> ring;
    private final IngesterMetadata ingesters;
    private final PartitionReader reader;

    public FanoutMetadata(Supplier<PartitionRing> ring, String zone, IngesterMetadata ingesters, Executor executor) {
        this.ring = Objects.requireNonNull(ring, "ring");
        this.ingesters = Objects.requireNonNull(ingesters, "ingesters");
        this.reader = new PartitionReader(Objects.requireNonNull(zone, "zone"), Objects.requireNonNull(executor, "executor"));
    }

    @Override
    public List<MetricMetadata> metadata(String tenant, String metric) {
        List<List<MetricMetadata>> answers = reader.readAll(ring.get().readablePartitions(),
                (address, partition) -> ingesters.metadata(address, tenant, partition, metric));
        Set<MetricMetadata> distinct = new LinkedHashSet<>();
        answers.forEach(distinct::addAll);
        return distinct.stream().sorted(Comparator.comparing(MetricMetadata::metric)).toList();
    }
}
