package dev.runnel.cli;

import dev.runnel.distributor.Distributor;
import dev.runnel.distributor.DistributorConfig;
import dev.runnel.distributor.hatracker.HaDedupeStage;
import dev.runnel.distributor.hatracker.HaTracker;
import dev.runnel.distributor.limits.TenantLimits;
import dev.runnel.distributor.push.DiscardCounters;
import dev.runnel.distributor.push.PushStage;
import dev.runnel.distributor.ratelimit.RateLimitStage;
import dev.runnel.distributor.sharding.RingPartitionSelector;
import dev.runnel.distributor.validation.ValidationStage;
import dev.runnel.ingester.Ingester;
import dev.runnel.ingester.IngesterConfig;
import dev.runnel.ingester.IngesterMetrics;
import dev.runnel.ingester.grpc.IngesterGrpcServer;
import dev.runnel.ingester.grpc.ServedPartitions;
import dev.runnel.log.agent.AgentConfig;
import dev.runnel.log.agent.KafkaAgent;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.PostgresMetadataStore;
import dev.runnel.log.metadata.SqliteMetadataStore;
import dev.runnel.log.objectstore.DelayedObjectStore;
import dev.runnel.log.objectstore.FileSystemObjectStore;
import dev.runnel.log.objectstore.InstrumentedObjectStore;
import dev.runnel.log.objectstore.LatencyProfile;
import dev.runnel.log.objectstore.ObjectStore;
import dev.runnel.log.objectstore.S3Config;
import dev.runnel.log.objectstore.S3ObjectStore;
import dev.runnel.log.produce.ProduceConfig;
import dev.runnel.log.retention.RetentionConfig;
import dev.runnel.querier.api.BuildInfo;
import dev.runnel.querier.api.ConsistencyLevel;
import dev.runnel.querier.api.QuerierApi;
import dev.runnel.querier.fanout.FanoutMetadata;
import dev.runnel.querier.fanout.FanoutQueryable;
import dev.runnel.querier.fanout.EndOffsets;
import dev.runnel.querier.fanout.IngesterClientPool;
import dev.runnel.querier.fanout.KafkaEndOffsets;
import dev.runnel.querier.fanout.OwnerPreference;
import dev.runnel.ring.IngesterId;
import dev.runnel.ring.OwnerState;
import dev.runnel.ring.PartitionRing;
import dev.runnel.ring.PartitionRingEditor;
import dev.runnel.ring.PartitionRingStore;
import dev.runnel.ring.PartitionRingWatcher;
import dev.runnel.server.HttpServer;
import dev.runnel.server.Readiness;
import dev.runnel.server.Routes;
import dev.runnel.server.StandardRoutes;
import dev.runnel.server.config.Durations;
import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The components of one runnel process, started for a target and stopped in reverse order on
 * shutdown (SIGTERM or SIGINT): the distributor finishes its pushes before the agent flushes
 * what it buffered, and the agent before the stores close. The metadata store is opened once and
 * shared: the agent keeps the log's metadata there, the distributor its HA elections, and the
 * partition ring is one of its keys: ingesters register there, distributors read it. Processes
 * see each other's ingesters only when they share the metadata store (PostgreSQL).
 *
 * <p>One process is one zone ({@code -zone}): {@code -target=all} runs an ingester for every
 * partition in that zone, so replication factor 2 takes a second process with another
 * {@code -zone} running {@code -target=ingester} (one per partition), and queriers read each
 * partition from one zone.
 */
final class Process implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Process.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The ring as the distributor and the querier see it; one watcher for both. */
    private PartitionRingWatcher ringWatcher;
    /** The object store of the agent and the ingesters' snapshots; one for both. */
    private ObjectStore objects;

    /** @param limitsBlock the config file's {@code limits:} block (a missing node if none) */
    static Process start(Set<Runnel.Target> target, Settings settings, JsonNode limitsBlock) {
        Process process = new Process();
        try {
            process.startComponents(target, settings, limitsBlock);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return process;
    }

    private void startComponents(Set<Runnel.Target> target, Settings settings, JsonNode limitsBlock) {
        Readiness readiness = new Readiness();
        Path dataDir = Path.of(settings.dataDir);
        Routes routes = StandardRoutes.create(readiness);
        int maxBodyBytes = Runnel.Target.runs(target, Runnel.Target.distributor) ? Math.max(16 << 20, settings.distributor.maxRecvMsgSize) : 16 << 20;
        HttpServer http = HttpServer.start(settings.httpListenAddress, settings.httpListenPort, routes, maxBodyBytes);
        started.push(http);
        // Not ready until every component has started: /ready must not answer 200 between the agent and the distributor.
        AtomicBoolean allStarted = new AtomicBoolean();
        readiness.add(() -> allStarted.get() ? Optional.empty() : Optional.of("components are starting"));
        createDirectories(dataDir);
        MetadataStore metadata = metadataStore(settings, dataDir);
        started.push(metadata);
        PartitionRingStore ring = new PartitionRingStore(metadata.kv());
        if (Runnel.Target.runs(target, Runnel.Target.agent)) {
            startAgent(settings, dataDir, metadata, readiness);
        }
        if (Runnel.Target.runs(target, Runnel.Target.distributor)) {
            // The distributor reaches the agent over the Kafka protocol, even in the same process. It
            // starts before the ingesters: it creates the ingest topic they read.
            startDistributor(settings, limitsBlock, metadata, ring, routes, readiness);
        }
        List<String> localIngesters = List.of();
        if (target.contains(Runnel.Target.all)) {
            localIngesters = ingesterIds(settings);
        } else if (target.contains(Runnel.Target.ingester)) {
            localIngesters = List.of(settings.ingester.instanceId(settings.zone));
        }
        if (!localIngesters.isEmpty()) {
            // Against Apache Kafka too: the snapshots go to the object store the -object-store.* flags name.
            startIngesters(settings, localIngesters, objects(settings, dataDir), ring, readiness);
        }
        if (Runnel.Target.runs(target, Runnel.Target.querier)) {
            startQuerier(settings, ring, routes);
            if (!localIngesters.isEmpty()) {
                readiness.add(querierSeesActive(localIngesters, ringWatcher));
            }
        }
        allStarted.set(true);
        log.info("runnel started: target={} http=:{} kafka=:{} data={}", target, http.port(), settings.kafkaListenPort,
                dataDir.toAbsolutePath());
        // The JVM halts once its shutdown hooks return: the hook waits for close() to finish.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shutdown.countDown();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown"));
    }

    private void startAgent(Settings settings, Path dataDir, MetadataStore metadata, Readiness readiness) {
        AtomicBoolean agentUp = new AtomicBoolean();
        readiness.add(() -> agentUp.get() ? Optional.empty() : Optional.of("agent is starting"));
        ObjectStore objects = objects(settings, dataDir);
        AgentConfig config = new AgentConfig(settings.kafkaListenAddress, settings.kafkaListenPort, settings.kafkaAdvertisedHost,
                settings.zone, new ProduceConfig(Durations.parse("-agent.batch-timeout", settings.batchTimeout),
                settings.batchMaxBytes, Durations.parse("-agent.write-timeout", settings.writeTimeout)),
                settings.cacheBytes, settings.maxRequestBytes, settings.autoCreateTopics, settings.defaultPartitions,
                RetentionConfig.DEFAULT.withInterval(Durations.parse("-agent.retention-interval", settings.retentionInterval)));
        started.push(KafkaAgent.start(config, objects, metadata, Time.SYSTEM));
        agentUp.set(true);
    }

    private void startDistributor(Settings settings, JsonNode limitsBlock, MetadataStore metadata, PartitionRingStore ring,
                                  Routes routes, Readiness readiness) {
        DistributorConfig config = settings.distributor.config(settings.ingestStorage, settings.kafkaListenPort,
                settings.multitenancyEnabled, settings.zone);
        PrometheusRegistry registry = PrometheusRegistry.defaultRegistry;
        TenantLimits limits = settings.limits.tenantLimits(limitsBlock, registry);
        started.push(limits);
        DiscardCounters discards = new DiscardCounters(registry);
        HaTracker haTracker = new HaTracker(metadata.kv(), settings.distributor.haTracker(), registry);
        // HA deduplication first: a duplicate replica's samples are dropped before they are validated or counted.
        List<PushStage> stages = List.of(new HaDedupeStage(limits, haTracker, discards),
                new ValidationStage(limits, discards), new RateLimitStage(limits, discards));
        PartitionRingWatcher watcher = ringWatcher(ring);
        RingPartitionSelector partitions = new RingPartitionSelector(watcher::ring,
                tenant -> limits.forTenant(tenant).ingestionPartitionsTenantShardSize());
        readiness.add(partitions.readinessCheck());
        try {
            started.push(Distributor.start(config, partitions, stages, limits, discards, routes, readiness));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the distributor waited for the log", e);
        }
    }

    private PartitionRingWatcher ringWatcher(PartitionRingStore ring) {
        if (ringWatcher == null) {
            ringWatcher = new PartitionRingWatcher(ring, Time.SYSTEM);
            ringWatcher.start();
            started.push(ringWatcher);
        }
        return ringWatcher;
    }

    /**
     * The Prometheus query API, reading every readable partition from one of its owners, this zone's
     * first; strongly consistent reads first ask the log for the partitions' end offsets.
     */
    private void startQuerier(Settings settings, PartitionRingStore ring, Routes routes) {
        PartitionRingWatcher watcher = ringWatcher(ring);
        Duration ingesterTimeout = settings.querier.ingesterTimeout();
        IngesterClientPool clients = new IngesterClientPool(ingesterTimeout, settings.zone);
        started.push(clients);
        KafkaEndOffsets endOffsets = KafkaEndOffsets.connect(settings.ingestStorage.kafkaAddress(settings.kafkaListenPort),
                settings.ingestStorage.kafkaTopic, ingesterTimeout, PrometheusRegistry.defaultRegistry);
        started.push(endOffsets);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService fanout = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "querier-fanout-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        started.push(fanout::shutdownNow);
        OwnerPreference owners = settings.querier.owners(settings.zone);
        started.push(QuerierApi.register(routes, settings.querier.config(settings.multitenancyEnabled),
                (tenant, consistency) -> new FanoutQueryable(watcher::ring, owners, clients, tenant,
                        consistency == ConsistencyLevel.STRONG ? endOffsets : EndOffsets.NONE, fanout),
                new FanoutMetadata(watcher::ring, owners, clients, endOffsets, fanout), BuildInfo.of("", "", "")));
    }

    /** {@code -target=all}: an ingester for each partition the distributor creates the topic with, in this process' zone. */
    private static List<String> ingesterIds(Settings settings) {
        int partitions = settings.ingestStorage.topicPartitions;
        return IntStream.range(0, partitions).mapToObj(n -> IngesterConfig.instanceId(settings.zone, n)).toList();
    }

    /** The object store, opened on first use and closed after everything started later. */
    private ObjectStore objects(Settings settings, Path dataDir) {
        if (objects == null) {
            // Instrumented outside the added latency: the request-duration histogram sees what callers wait for.
            objects = new InstrumentedObjectStore(new DelayedObjectStore(objectStore(settings, dataDir),
                    LatencyProfile.parse(settings.objectStoreLatencyProfile), settings.objectStoreLatencySeed),
                    settings.objectStoreBackend, settings.zone);
            started.push(objects);
        }
        return objects;
    }

    private void startIngesters(Settings settings, List<String> ids, ObjectStore objects, PartitionRingStore ring, Readiness readiness) {
        PartitionRingEditor editor = new PartitionRingEditor(ring, Time.SYSTEM);
        IngesterMetrics metrics = IngesterMetrics.register(PrometheusRegistry.defaultRegistry);
        // One query service for all of the process' ingesters; each adds its partition to it.
        ServedPartitions served = new ServedPartitions();
        IngesterGrpcServer grpc;
        try {
            grpc = IngesterGrpcServer.start(settings.grpcListenAddress, settings.grpcListenPort, served, settings.zone);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for gRPC on " + settings.grpcListenAddress + ":"
                    + settings.grpcListenPort + ": " + e.getMessage(), e);
        }
        started.push(grpc);
        String address = settings.ingester.instanceAddr + ":" + grpc.port();
        for (String id : ids) {
            Ingester ingester = Ingester.start(settings.ingester.config(id, settings.ingestStorage, settings.kafkaListenPort, settings.zone),
                    objects, served, address, editor, metrics, Time.SYSTEM);
            started.push(ingester);
            readiness.add(ingester.readinessCheck());
        }
    }

    /**
     * An ingester turns ready once it has caught up, and then marks itself ACTIVE in the ring; the querier
     * reads the ring on its own poll. Until that poll has seen the process' ingesters ACTIVE, a query
     * right after /ready would fail for want of an owner, so /ready waits for it too.
     */
    private static Supplier<Optional<String>> querierSeesActive(List<String> ingesterIds, PartitionRingWatcher watcher) {
        return () -> {
            PartitionRing ring = watcher.ring();
            for (String id : ingesterIds) {
                boolean active = ring.partition(IngesterId.parse(id).partitionId())
                        .flatMap(p -> p.ownerById(id))
                        .map(o -> o.state() == OwnerState.ACTIVE)
                        .orElse(false);
                if (!active) {
                    return Optional.of("the querier's view of the partition ring does not show " + id + " ACTIVE yet");
                }
            }
            return Optional.empty();
        };
    }

    private static ObjectStore objectStore(Settings settings, Path dataDir) {
        return switch (settings.objectStoreBackend) {
            case "filesystem" -> new FileSystemObjectStore(dataDir.resolve("objects"), settings.fsync);
            case "s3" -> new S3ObjectStore(new S3Config(settings.s3Bucket, settings.s3Prefix, settings.s3Region,
                    settings.s3Endpoint.isBlank() ? null : URI.create(settings.s3Endpoint), settings.s3PathStyle, null, null));
            default -> throw new IllegalArgumentException("-object-store.backend must be filesystem or s3: " + settings.objectStoreBackend);
        };
    }

    private static MetadataStore metadataStore(Settings settings, Path dataDir) {
        return switch (settings.metadataStoreBackend) {
            case "sqlite" -> SqliteMetadataStore.open(dataDir.resolve("metadata.db"), Time.SYSTEM, settings.fsync);
            case "postgres" -> PostgresMetadataStore.open(settings.postgresUrl, settings.postgresUser,
                    settings.postgresPassword, Time.SYSTEM);
            default -> throw new IllegalArgumentException("-metadata-store.backend must be sqlite or postgres: "
                    + settings.metadataStoreBackend);
        };
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    void awaitShutdown() throws InterruptedException {
        shutdown.await();
    }

    @Override
    public void close() {
        try {
            closeComponents();
        } finally {
            stopped.countDown();
        }
    }

    private void closeComponents() {
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (Exception e) {
                log.warn("stopping {} failed", component, e);
            }
        }
    }
}
