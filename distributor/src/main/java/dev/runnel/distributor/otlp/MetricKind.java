package dev.runnel.distributor.otlp;

import dev.runnel.distributor.write.MetricMetadata;

/** The OTLP metric types as naming and metadata tell them apart. */
enum MetricKind {
    GAUGE(MetricMetadata.Type.GAUGE),
    /** A monotonic cumulative sum. */
    COUNTER(MetricMetadata.Type.COUNTER),
    /** A sum that may go down: a gauge to Prometheus, but without the {@code _ratio} suffix. */
    NON_MONOTONIC_SUM(MetricMetadata.Type.GAUGE),
    HISTOGRAM(MetricMetadata.Type.HISTOGRAM),
    EXPONENTIAL_HISTOGRAM(MetricMetadata.Type.HISTOGRAM),
    SUMMARY(MetricMetadata.Type.SUMMARY);

    private final MetricMetadata.Type metadataType;

    MetricKind(MetricMetadata.Type metadataType) {
        this.metadataType = metadataType;
    }

    MetricMetadata.Type metadataType() {
        return metadataType;
    }
}
