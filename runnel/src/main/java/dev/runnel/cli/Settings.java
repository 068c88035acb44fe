package dev.runnel.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every setting of the binary as a flag. A flag {@code -a.b-c} is the YAML key {@code a: {b_c: }}
 * in {@code -config.file}; a flag given on the command line wins over the file.
 */
public final class Settings {
    @Option(names = "-server.http-listen-address", defaultValue = "0.0.0.0", description = "HTTP listen address.")
    String httpListenAddress;

    @Option(names = "-server.http-listen-port", defaultValue = "8080", description = "HTTP port: /metrics, /ready and the APIs.")
    int httpListenPort;

    @Option(names = "-server.grpc-listen-address", defaultValue = "0.0.0.0", description = "gRPC listen address: the ingesters' query service.")
    String grpcListenAddress;

    @Option(names = "-server.grpc-listen-port", defaultValue = "9095",
            description = "gRPC port of the ingesters' query service, shared by every ingester of the process.")
    int grpcListenPort;

    @Option(names = "-auth.multitenancy-enabled", defaultValue = "false", arity = "1",
            description = "Take the tenant from the X-Scope-OrgID header (401 without it). false: every request is tenant anonymous.")
    boolean multitenancyEnabled;

    @Option(names = "-zone", defaultValue = "zone-a", description = "Availability zone of this process; its ingesters "
            + "register in the partition ring in this zone (a process is one zone: replication factor 2 needs a second "
            + "process with another -zone sharing the metadata store).")
    String zone;

    @Option(names = "-data.dir", defaultValue = "./data", description = "Directory of the embedded object and metadata stores.")
    String dataDir;

    @Option(names = "-data.fsync", defaultValue = "true", arity = "1",
            description = "Force the embedded stores' writes to disk before acknowledging. false: acknowledged data survives a "
                    + "crash of the process (kill -9) but not of the machine, as with Kafka's default flush policy.")
    boolean fsync;

    @Option(names = "-kafka.listen-address", defaultValue = "0.0.0.0", description = "Kafka listener address of the agent.")
    String kafkaListenAddress;

    @Option(names = "-kafka.listen-port", defaultValue = "9092", description = "Kafka listener port of the agent.")
    int kafkaListenPort;

    @Option(names = "-kafka.advertised-host", defaultValue = "127.0.0.1", description = "Host name the agent tells clients to connect to.")
    String kafkaAdvertisedHost;

    @Option(names = "-agent.batch-timeout", defaultValue = "250ms", description = "Longest a produced batch waits for its flush.")
    String batchTimeout;

    @Option(names = "-agent.batch-max-bytes", defaultValue = "4194304", description = "Flush as soon as this many bytes are buffered.")
    int batchMaxBytes;

    @Option(names = "-agent.write-timeout", defaultValue = "20s",
            description = "How long a flush retries failing object writes and metadata commits before failing its producers (retriably).")
    String writeTimeout;

    @Option(names = "-agent.cache-bytes", defaultValue = "268435456", description = "Bytes of object ranges cached for fetches.")
    long cacheBytes;

    @Option(names = "-agent.max-request-bytes", defaultValue = "104857600", description = "Larger Kafka request frames close the connection.")
    int maxRequestBytes;

    @Option(names = "-agent.auto-create-topics", defaultValue = "true", arity = "1", description = "Create unknown topics on Metadata requests.")
    boolean autoCreateTopics;

    @Option(names = "-agent.default-partitions", defaultValue = "1", description = "Partitions of auto-created topics.")
    int defaultPartitions;

    @Option(names = "-agent.retention-interval", defaultValue = "1m",
            description = "How often the agent applies topic retention and deletes unreferenced objects.")
    String retentionInterval;

    @Option(names = "-object-store.backend", defaultValue = "filesystem", description = "filesystem (under -data.dir) or s3: the agent's "
            + "objects and the ingesters' head snapshots (under snapshots/).")
    String objectStoreBackend;

    @Option(names = "-object-store.s3.bucket", defaultValue = "", description = "S3 bucket.")
    String s3Bucket;

    @Option(names = "-object-store.s3.prefix", defaultValue = "", description = "Prefix of every object key in the bucket.")
    String s3Prefix;

    @Option(names = "-object-store.s3.region", defaultValue = "us-east-1", description = "S3 region.")
    String s3Region;

    @Option(names = "-object-store.s3.endpoint", defaultValue = "", description = "S3 endpoint override (S3-compatible servers).")
    String s3Endpoint;

    @Option(names = "-object-store.s3.path-style", defaultValue = "false", arity = "1", description = "Path-style bucket addressing.")
    boolean s3PathStyle;

    @Option(names = "-object-store.latency-profile", defaultValue = "none", description = "Latency added to every "
            + "object-store call, for load tests on a local store: none, s3-standard (PUT ~30 ms median, 200 ms p99; "
            + "GET ~20/150 ms) or s3-express (~5 ms median, 20 ms p99).")
    String objectStoreLatencyProfile;

    @Option(names = "-object-store.latency-seed", defaultValue = "1", description = "Seed of the added latencies' "
            + "random draws, so a run's delays repeat.")
    long objectStoreLatencySeed;

    @Option(names = "-metadata-store.backend", defaultValue = "sqlite", description = "sqlite (embedded, under -data.dir) or postgres (shared by every process).")
    String metadataStoreBackend;

    @Option(names = "-metadata-store.postgres.url", defaultValue = "", description = "PostgreSQL JDBC URL, jdbc:postgresql://host:5432/database; tables go in its currentSchema parameter, else public.")
    String postgresUrl;

    @Option(names = "-metadata-store.postgres.user", defaultValue = "", description = "PostgreSQL user (empty: from the URL).")
    String postgresUser;

    @Option(names = "-metadata-store.postgres.password", defaultValue = "", description = "PostgreSQL password (empty: from the URL or none); set it in the config file, where ps does not show it.")
    String postgresPassword;

    // Each component's flags in their own class.
    @Mixin
    IngestStorageSettings ingestStorage;

    @Mixin
    DistributorSettings distributor;

    @Mixin
    IngesterSettings ingester;

    @Mixin
    QuerierSettings querier;

    @Mixin
    LimitsSettings limits;
}
