package dev.runnel.querier.fanout;

import dev.runnel.querier.api.ConsistencyLevel;
import dev.runnel.querier.api.MetricMetadata;
import dev.runnel.querier.api.MetricMetadataSource;
import dev.runnel.ring.Partition;
import dev.runnel.ring.PartitionRing;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
    private final EndOffsets endOffsets;
    private final PartitionReader reader;

    /** @param endOffsets the log's end offsets, read for strongly consistent requests */
    public FanoutMetadata(Supplier<PartitionRing> ring, OwnerPreference owners, IngesterMetadata ingesters, EndOffsets endOffsets,
                          Executor executor) {
        this.ring = Objects.requireNonNull(ring, "ring");
        this.ingesters = Objects.requireNonNull(ingesters, "ingesters");
        this.endOffsets = Objects.requireNonNull(endOffsets, "endOffsets");
        this.reader = new PartitionReader(Objects.requireNonNull(owners, "owners"), Objects.requireNonNull(executor, "executor"));
    }

    @Override
    public List<MetricMetadata> metadata(String tenant, String metric, ConsistencyLevel consistency) {
        List<Partition> partitions = ring.get().readablePartitions();
        Map<Integer, Long> offsets = consistency == ConsistencyLevel.STRONG
                ? endOffsets.endOffsets(partitions.stream().map(Partition::id).toList()) : Map.of();
        List<List<MetricMetadata>> answers = reader.readAll(partitions, offsets,
                (address, partition, minOffset) -> ingesters.metadata(address, tenant, partition, metric, minOffset));
        Set<MetricMetadata> distinct = new LinkedHashSet<>();
        answers.forEach(distinct::addAll);
        return distinct.stream().sorted(Comparator.comparing(MetricMetadata::metric)).toList();
    }
}
