package dev.runnel.ingester.query;

import java.util.Objects;

/**
 * What a metric family's senders said about it, as Prometheus' /api/v1/metadata returns it.
 *
 * @param type {@code counter}, {@code gauge}, {@code histogram}, {@code gaugehistogram},
 *             {@code summary}, {@code info}, {@code stateset} or {@code unknown}
 */
public record MetricMetadata(String family, String type, String help, String unit) {
    public MetricMetadata {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(unit, "unit");
    }
}
