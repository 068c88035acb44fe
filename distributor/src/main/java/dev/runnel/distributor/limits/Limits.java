package dev.runnel.distributor.limits;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The limits one tenant's writes are held to, named as Mimir names them (the YAML keys are the
 * snake_case forms: {@code max_label_names_per_series}, {@code creation_grace_period}, ...).
 * Defaults come from the main configuration's {@code limits:} block, a tenant's overrides from
 * the runtime configuration file; {@link TenantLimits} hands out the effective record.
 *
 * @param maxLabelNamesPerSeries most labels a series may have, {@code __name__} included
 * @param maxLabelNameLength longest label name, in bytes
 * @param maxLabelValueLength longest label value, in bytes
 * @param maxMetadataLength longest metric family name, unit or help text of metadata, in bytes;
 *     a longer help text is cut, a longer name or unit drops the metadata
 * @param creationGracePeriod how far after now a sample's timestamp may be
 * @param pastGracePeriod how far before now a sample's timestamp may be; zero accepts any age
 * @param ingestionRate samples (floats and histograms) per second a tenant may write
 * @param ingestionBurstSize samples a tenant may write at once above the rate; also the largest request
 * @param acceptHaSamples deduplicate HA Prometheus pairs by their cluster and replica labels
 * @param haClusterLabel the label naming an HA pair
 * @param haReplicaLabel the label naming a replica within the pair; removed from accepted series
 * @param otelMetricSuffixesEnabled add unit and type suffixes to metric names translated from OTLP
 * @param promoteOtelResourceAttributes OTLP resource attributes copied onto every series as labels
 * @param otelKeepIdentifyingResourceAttributes keep {@code service.name}, {@code service.namespace} and
 *     {@code service.instance.id} on {@code target_info} too
 * @param otelConvertHistogramsToNhcb send OTLP explicit-bucket histograms as native histograms with custom buckets
 * @param otelPromoteScopeMetadata add the OTLP instrumentation scope's name, version, schema URL and
 *     attributes as {@code otel_scope_*} labels
 * @param ingestionPartitionsTenantShardSize partitions of the ring the tenant's series are spread over (its
 *     shuffle shard); 0 spreads them over every ACTIVE partition
 */
public record Limits(
        int maxLabelNamesPerSeries,
        int maxLabelNameLength,
        int maxLabelValueLength,
        int maxMetadataLength,
        Duration creationGracePeriod,
        Duration pastGracePeriod,
        double ingestionRate,
        int ingestionBurstSize,
        boolean acceptHaSamples,
        String haClusterLabel,
        String haReplicaLabel,
        boolean otelMetricSuffixesEnabled,
        List<String> promoteOtelResourceAttributes,
        boolean otelKeepIdentifyingResourceAttributes,
        boolean otelConvertHistogramsToNhcb,
        boolean otelPromoteScopeMetadata,
        int ingestionPartitionsTenantShardSize) {

    /** Mimir's defaults. */
    public static final Limits DEFAULTS = new Limits(30, 1024, 2048, 1024, Duration.ofMinutes(10), Duration.ZERO,
            10_000, 200_000, false, "cluster", "__replica__", false, List.of(), false, false, false, 0);

    public Limits {
        positive("max_label_names_per_series", maxLabelNamesPerSeries);
        positive("max_label_name_length", maxLabelNameLength);
        positive("max_label_value_length", maxLabelValueLength);
        positive("max_metadata_length", maxMetadataLength);
        notNegative("creation_grace_period", creationGracePeriod);
        notNegative("past_grace_period", pastGracePeriod);
        if (!(ingestionRate >= 0) || Double.isInfinite(ingestionRate)) {
            throw new IllegalArgumentException("ingestion_rate must be a non-negative number: " + ingestionRate);
        }
        if (ingestionBurstSize < 0) {
            throw new IllegalArgumentException("ingestion_burst_size must not be negative: " + ingestionBurstSize);
        }
        if (ingestionPartitionsTenantShardSize < 0) {
            throw new IllegalArgumentException("ingestion_partitions_tenant_shard_size must not be negative (0: all partitions): "
                    + ingestionPartitionsTenantShardSize);
        }
        notEmpty("ha_cluster_label", haClusterLabel);
        notEmpty("ha_replica_label", haReplicaLabel);
        promoteOtelResourceAttributes = List.copyOf(Objects.requireNonNull(promoteOtelResourceAttributes,
                "promote_otel_resource_attributes must not be null"));
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive: " + value);
        }
    }

    private static void notNegative(String key, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(key + " must be a duration of zero or more: " + value);
        }
    }

    private static void notEmpty(String key, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(key + " must not be empty");
        }
    }
}
