package dev.runnel.cli;

import dev.runnel.ingester.IngesterConfig;
import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.server.config.Durations;
import picocli.CommandLine.Option;

/** Flags of the ingester. */
public final class IngesterSettings {
    @Option(names = "-ingester.ring.instance-id", defaultValue = "",
            description = "Id of the ingester of -target=ingester, ingester-zone-<zone>-<partition>: it owns and replays the "
                    + "partition its id ends with, in its zone. Empty: ingester-<-zone>-0 (ingester-zone-a-0 for zone-a). "
                    + "-target=all runs one ingester per partition of the ingest topic in -zone instead.")
    String instanceId;

    @Option(names = "-ingester.ring.instance-addr", defaultValue = "127.0.0.1",
            description = "Host queriers reach this process' ingesters at; registered in the partition ring with "
                    + "-server.grpc-listen-port.")
    String instanceAddr;

    @Option(names = "-ingester.retention", defaultValue = "2h",
            description = "How long samples stay in the in-memory head, before the head's newest sample; also how far back "
                    + "an ingester replays its partition on start.")
    String retention;

    @Option(names = "-ingester.out-of-order-time-window", defaultValue = "0s",
            description = "How far behind a tenant's newest sample an out-of-order sample is still kept; 0 rejects them.")
    String outOfOrderTimeWindow;

    @Option(names = "-ingester.max-global-series-per-user", defaultValue = "1500000",
            description = "Series a tenant may have in one ingester's head; samples of further series are discarded.")
    int maxSeriesPerUser;

    @Option(names = "-ingester.max-ready-lag", defaultValue = "15s",
            description = "How far behind its partition's end an ingester may be and be ready (/ready) after start-up.")
    String maxReadyLag;

    @Option(names = "-ingester.snapshot-interval", defaultValue = "5m",
            description = "How often an ingester snapshots its heads to the object store (-object-store.*, snapshots/ under "
                    + "the same bucket or -data.dir), also on shutdown; on start it restores the newest snapshot and replays "
                    + "only the records after it.")
    String snapshotInterval;

    /** The derived or given id of the one ingester of {@code -target=ingester}. */
    String instanceId(String zone) {
        return instanceId.isBlank() ? IngesterConfig.instanceId(zone, 0) : instanceId;
    }

    IngesterConfig config(String id, IngestStorageSettings ingest, int localKafkaPort, String zone) {
        return new IngesterConfig(id, ingest.kafkaAddress(localKafkaPort), ingest.kafkaTopic,
                new HeadConfig(Durations.parse("-ingester.retention", retention),
                        Durations.parse("-ingester.out-of-order-time-window", outOfOrderTimeWindow), maxSeriesPerUser),
                Durations.parse("-ingester.max-ready-lag", maxReadyLag),
                Durations.parse("-ingester.snapshot-interval", snapshotInterval), zone);
    }
}
