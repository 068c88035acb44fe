package dev.runnel.distributor.produce;

import io.prometheus.metrics.core.metrics.Counter;

/** What the distributor wrote to the log, and the produce errors it met. */
final class ProduceMetrics {
    static final ProduceMetrics INSTANCE = new ProduceMetrics();

    private final Counter records = Counter.builder()
            .name("runnel_distributor_produced_records_total")
            .help("Log records acknowledged by the log.")
            .register();
    private final Counter bytes = Counter.builder()
            .name("runnel_distributor_produced_bytes_total")
            .help("Bytes of record values acknowledged by the log.")
            .register();
    private final Counter failures = Counter.builder()
            .name("runnel_distributor_produce_failures_total")
            .help("Records the log did not acknowledge, by error.")
            .labelNames("error")
            .register();

    private ProduceMetrics() {
    }

    void produced(int valueBytes) {
        records.inc();
        bytes.inc(valueBytes);
    }

    void failed(String error) {
        failures.labelValues(error).inc();
    }
}
