package dev.runnel.cli;

import picocli.CommandLine.Option;

/** Where the write path's log is: the flags the distributor and the ingester share. */
public final class IngestStorageSettings {
    @Option(names = "-ingest-storage.kafka.address", defaultValue = "",
            description = "Bootstrap address of the log (host:port[,host:port]). Default: the agent of this process or "
                    + "machine, 127.0.0.1:<-kafka.listen-port>.")
    String kafkaAddress;

    @Option(names = "-ingest-storage.kafka.topic", defaultValue = "ingest", description = "Topic the write path writes series to.")
    String kafkaTopic;

    @Option(names = "-ingest-storage.kafka.auto-create-topic-default-partitions", defaultValue = "4",
            description = "Partitions of the topic when a distributor creates it at start-up. Each partition is replayed by one "
                    + "ingester, so this bounds how far ingestion spreads; 4 suits one machine. An existing topic keeps its own. "
                    + "-target=all runs an ingester for each of this many partitions.")
    int topicPartitions;

    /** The log's address: the flag, or the local agent's Kafka port when it is empty. */
    String kafkaAddress(int localKafkaPort) {
        return kafkaAddress.isBlank() ? "127.0.0.1:" + localKafkaPort : kafkaAddress;
    }
}
