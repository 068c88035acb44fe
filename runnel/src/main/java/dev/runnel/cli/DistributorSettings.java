package dev.runnel.cli;

import dev.runnel.distributor.DistributorConfig;
import dev.runnel.distributor.hatracker.HaTrackerConfig;
import dev.runnel.server.config.Durations;
import picocli.CommandLine.Option;

/** Flags of the distributor. */
public final class DistributorSettings {
    @Option(names = "-distributor.remote-timeout", defaultValue = "5s",
            description = "How long a push waits for the log to acknowledge its records before answering 503. Mimir uses 2s; "
                    + "the log acknowledges only after a flush window (-agent.batch-timeout, 250ms) and an object write, so "
                    + "5s leaves room for a slow object store and a retried flush.")
    String remoteTimeout;

    @Option(names = "-distributor.max-recv-msg-size", defaultValue = "104857600",
            description = "Largest push body, compressed or uncompressed (413 beyond it).")
    int maxRecvMsgSize;

    @Option(names = "-distributor.max-record-bytes", defaultValue = "1048576",
            description = "Largest log record; a partition's series from one push are split over records of at most this size. "
                    + "1 MiB is Kafka's default message.max.bytes.")
    int maxRecordBytes;

    @Option(names = "-distributor.ha-tracker.update-timeout", defaultValue = "15s",
            description = "How often the elected replica of an HA pair has its last-seen time written to the metadata store "
                    + "(tenants with accept_ha_samples).")
    String haUpdateTimeout;

    @Option(names = "-distributor.ha-tracker.failover-timeout", defaultValue = "30s",
            description = "How long without samples from the elected replica of an HA pair before another replica is elected; "
                    + "longer than -distributor.ha-tracker.update-timeout.")
    String haFailoverTimeout;

    HaTrackerConfig haTracker() {
        return new HaTrackerConfig(Durations.parse("-distributor.ha-tracker.update-timeout", haUpdateTimeout),
                Durations.parse("-distributor.ha-tracker.failover-timeout", haFailoverTimeout),
                HaTrackerConfig.DEFAULTS.storeRetryBackoff());
    }

    DistributorConfig config(IngestStorageSettings ingest, int localKafkaPort, boolean multitenancyEnabled, String zone) {
        return new DistributorConfig(ingest.kafkaAddress(localKafkaPort), ingest.kafkaTopic, ingest.topicPartitions,
                Durations.parse("-distributor.remote-timeout", remoteTimeout), maxRecvMsgSize, maxRecordBytes, multitenancyEnabled,
                zone);
    }
}
